import { type FieldDetails, notFound, type RequestContext, trimmed, uniqueOrConflict, validationError } from '@cockpit/kit';
import { accountLoader } from '../accounts/account.service';
import { SSO_PROVIDERS, type SsoProvider, type SsoSettings } from './sso-settings.entity';
import { ssoRepository } from './sso.repository';

export interface SetAccountSsoInput {
  provider: string;
  issuer: string;
  clientId: string;
  audience?: string | null;
  rolesClaim?: string | null;
  accountIdClaim?: string | null;
  superAdminRoles?: string[] | null;
  enabled?: boolean | null;
}

/** Where each provider puts roles unless told otherwise. */
export const DEFAULT_ROLES_CLAIM: Record<SsoProvider, string> = {
  zitadel: 'urn:zitadel:iam:org:project:roles',
  keycloak: 'realm_access.roles',
  auth0: 'roles',
  generic: 'roles',
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * An issuer is an absolute https URL (plain http only on loopback, for local
 * IdPs), with no credentials, query or fragment: the gateway fetches from it.
 */
export function issuerProblem(issuer: string): string | null {
  if (issuer.length > 2048) return 'at most 2048 characters';
  let u: URL;
  try {
    u = new URL(issuer);
  } catch {
    return 'must be an absolute URL';
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.has(u.hostname))) return 'must be an https URL';
  if (u.username || u.password || u.search || u.hash) return 'must not contain credentials, a query or a fragment';
  return null;
}

function validate(input: SetAccountSsoInput) {
  const details: FieldDetails = {};
  const provider = trimmed(input.provider).toLowerCase() as SsoProvider;
  if (!SSO_PROVIDERS.includes(provider)) details.provider = `must be one of ${SSO_PROVIDERS.join(', ')}`;
  const issuer = trimmed(input.issuer);
  const issuerBad = issuerProblem(issuer);
  if (issuerBad) details.issuer = issuerBad;
  const clientId = trimmed(input.clientId);
  if (!clientId || clientId.length > 512) details.clientId = 'must be 1 to 512 characters';
  const audience = trimmed(input.audience) || null;
  if (audience && audience.length > 512) details.audience = 'at most 512 characters';
  const rolesClaim = trimmed(input.rolesClaim) || DEFAULT_ROLES_CLAIM[provider] || 'roles';
  if (rolesClaim.length > 256) details.rolesClaim = 'at most 256 characters';
  const accountIdClaim = trimmed(input.accountIdClaim) || null;
  if (accountIdClaim && accountIdClaim.length > 256) details.accountIdClaim = 'at most 256 characters';
  const superAdminRoles = [...new Set((input.superAdminRoles ?? []).map((r) => r.trim()))];
  if (superAdminRoles.length > 50 || superAdminRoles.some((r) => !r || r.length > 100))
    details.superAdminRoles = 'at most 50 role keys of 1 to 100 characters';
  if (Object.keys(details).length) throw validationError(details);
  return { provider, issuer, clientId, audience, rolesClaim, accountIdClaim, superAdminRoles, enabled: input.enabled ?? true };
}

/**
 * Creates or replaces the SSO settings of the account the request acts on (a
 * super admin names it with X-Account-Id). CONFLICT when another account already
 * trusts the issuer: a token's issuer must map to one account.
 */
export async function setAccountSso(ctx: RequestContext, accountId: string, input: SetAccountSsoInput): Promise<SsoSettings> {
  const data = validate(input);
  const account = await accountLoader(ctx).load(accountId);
  if (!account || account.status === 'DELETED') throw notFound('Account');
  return uniqueOrConflict(
    () =>
      ctx.write(async ({ em, audit }) => {
        const settings = await ssoRepository.upsert(em, accountId, data);
        // the settings hold no secret (the client secret stays with whoever runs the login flow)
        await audit({
          accountId,
          type: 'account.sso.set',
          subject: { type: 'Account', id: accountId },
          payload: { ...data },
        });
        return settings;
      }),
    'Another account already uses this issuer',
    { issuer: 'already used by another account' },
  );
}

/** Account.sso for many accounts in one query. */
export function ssoLoader(ctx: RequestContext) {
  return ctx.loader<string, SsoSettings | null>('ssoByAccount', async (ids) => {
    const rows = await ctx.read((em) => ssoRepository.ofAccounts(em, ids));
    const byId = new Map(rows.map((s) => [s.accountId, s]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

export interface CheckResult {
  ok: boolean;
  status: number | null;
  error: string | null;
  latencyMs: number | null;
}

const CHECK_TIMEOUT_MS = 5000;

/** GETs a JSON document with a timeout; reports status and latency, never the body. */
async function check(url: string, validate: (body: any) => string | null): Promise<{ result: CheckResult; body?: any }> {
  const started = Date.now();
  try {
    const res = await fetch(url, {
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
      redirect: 'error',
      headers: { accept: 'application/json' },
    });
    const latencyMs = Date.now() - started;
    if (!res.ok) {
      await res.body?.cancel();
      return { result: { ok: false, status: res.status, error: `HTTP ${res.status}`, latencyMs } };
    }
    const body = await res.json().catch(() => undefined);
    const problem = body === undefined ? 'response is not JSON' : validate(body);
    return { result: { ok: !problem, status: res.status, error: problem, latencyMs }, body };
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    return {
      result: {
        ok: false,
        status: null,
        error: timedOut ? 'timed out after 5 s' : `unreachable${cause ? ` (${cause})` : ''}`,
        latencyMs: Date.now() - started,
      },
    };
  }
}

const notChecked = (error: string): CheckResult => ({ ok: false, status: null, error, latencyMs: null });

/** Fetches the account's issuer discovery document and its JWKS (5 s each) and says what worked. */
export async function ssoStatus(ctx: RequestContext, accountId: string) {
  const settings = await ssoLoader(ctx).load(accountId);
  const checkedAt = new Date();
  if (!settings)
    return {
      issuer: null,
      discovery: notChecked('SSO is not configured for this account'),
      jwks: notChecked('SSO is not configured for this account'),
      checkedAt,
    };
  const issuer = settings.issuer;
  const discovery = await check(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, (doc) => {
    if (doc?.issuer !== issuer) return 'discovery document names another issuer';
    if (typeof doc?.jwks_uri !== 'string') return 'discovery document has no jwks_uri';
    return null;
  });
  const jwksUri = discovery.result.ok ? String(discovery.body.jwks_uri) : null;
  const jwks = jwksUri
    ? (await check(jwksUri, (doc) => (Array.isArray(doc?.keys) && doc.keys.length ? null : 'JWKS has no keys'))).result
    : notChecked('not checked: discovery failed');
  return { issuer, discovery: discovery.result, jwks, checkedAt };
}
