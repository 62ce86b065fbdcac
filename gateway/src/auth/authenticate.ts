import { timingSafeEqual } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { forbidden, invalidRequest, isRole, isUuid, unauthorized, type Principal, type Role } from '@cockpit/kit';
import type { ClaimMapping } from '../config';
import type { ApiKeyCache, ApiKeyRecord } from './api-keys';
import { sha256Hex } from './api-keys';
import type { OidcVerifier } from './oidc';

export interface Credentials {
  authorization?: string;
  accountId?: string;
  requestId: string;
}

export interface Authenticator {
  authenticate(c: Credentials): Promise<Principal & { expiresAt?: number }>;
}

/**
 * Turns a credential into a principal: the master key, a Cockpit API key or an
 * OIDC JWT. The account comes from the credential; only super admins may name
 * one with X-Account-Id.
 */
export function createAuthenticator(opts: { masterKey?: string; apiKeys: ApiKeyCache; oidc: OidcVerifier; claims: ClaimMapping }): Authenticator {
  const masterHash = opts.masterKey ? Buffer.from(sha256Hex(opts.masterKey), 'hex') : null;

  async function base(token: string, requestId: string): Promise<Principal & { expiresAt?: number }> {
    if (masterHash && timingSafeEqual(Buffer.from(sha256Hex(token), 'hex'), masterHash)) {
      return { subject: 'master-key', kind: 'SERVICE', accountId: null, roles: ['SUPER_ADMIN'], teamIds: [], orgIds: [], scopes: [], superAdmin: true, requestId };
    }
    if (token.startsWith('sk-cap-')) return fromApiKey(await opts.apiKeys.lookup(token), requestId);
    if (token.split('.').length === 3) return fromJwt(await opts.oidc.verify(token), opts.claims, requestId);
    throw unauthorized('Unrecognised credential');
  }

  return {
    async authenticate({ authorization, accountId, requestId }) {
      const m = authorization?.match(/^Bearer\s+(\S+)$/i);
      if (!m) throw unauthorized('Send Authorization: Bearer <API key or token>');
      const p = await base(m[1], requestId);
      if (accountId) {
        if (!isUuid(accountId)) throw invalidRequest('X-Account-Id must be an account id');
        if (p.superAdmin) p.accountId = accountId.toLowerCase();
        else if (p.accountId !== accountId.toLowerCase()) throw forbidden('X-Account-Id is for super admins');
      }
      return p;
    },
  };
}

function fromApiKey(key: ApiKeyRecord | null, requestId: string): Principal {
  if (!key || key.revokedAt) throw unauthorized('Invalid API key');
  if (key.expiresAt && Date.parse(key.expiresAt) <= Date.now()) throw unauthorized('API key has expired');
  if (key.accountId && key.accountStatus !== 'ACTIVE') throw unauthorized('Account is not active');
  const platform = key.accountId === null;
  const roles: Role[] = key.tier === 'ADMIN' ? [platform ? 'SUPER_ADMIN' : 'ADMIN'] : ['END_USER'];
  return {
    subject: `api-key:${key.id}`,
    kind: 'API_KEY',
    accountId: key.accountId,
    roles,
    teamIds: [],
    orgIds: [],
    scopes: key.scopes,
    superAdmin: platform && key.tier === 'ADMIN',
    requestId,
  };
}

/** Reads a claim by exact name first (URN-style claims contain dots), then as a dotted path. */
export function claimAt(payload: Record<string, unknown>, path: string): unknown {
  if (path in payload) return payload[path];
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), payload);
}

/** Roles as an array of names, a space-separated string, or Zitadel's `{ ROLE: { orgId: domain } }` object. */
export function rolesFrom(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((r): r is string => typeof r === 'string');
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  if (value && typeof value === 'object') return Object.keys(value);
  return [];
}

function fromJwt(payload: JWTPayload, claims: ClaimMapping, requestId: string): Principal & { expiresAt?: number } {
  const raw = rolesFrom(claimAt(payload, claims.rolesClaim));
  const superAdmin = raw.some((r) => claims.superAdminRoles.includes(r));
  const roles = raw.map((r) => r.toUpperCase()).filter(isRole) as Role[];
  if (superAdmin && !roles.includes('SUPER_ADMIN')) roles.push('SUPER_ADMIN');
  const account = claimAt(payload, claims.accountIdClaim);
  return {
    subject: String(payload.sub),
    kind: 'USER',
    accountId: typeof account === 'string' && isUuid(account) ? account.toLowerCase() : null,
    roles,
    teamIds: [],
    orgIds: [],
    scopes: [],
    superAdmin,
    requestId,
    expiresAt: payload.exp ? payload.exp * 1000 : undefined,
  };
}
