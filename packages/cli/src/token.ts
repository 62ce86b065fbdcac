import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { DEV_ISSUER } from '@cockpit/gateway';

/** A development OIDC token from the local dev issuer, for one role and account (local use only). */
export async function mintDevToken(
  key: KeyObject,
  opts: { role: string; accountId?: string; subject?: string; ttlSeconds?: number },
): Promise<string> {
  const claims: Record<string, unknown> = { roles: [opts.role] };
  if (opts.accountId) claims.cockpit_account_id = opts.accountId;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
    .setIssuer(DEV_ISSUER)
    .setAudience('cockpit')
    .setSubject(opts.subject ?? `dev:${opts.role.toLowerCase()}`)
    .setIssuedAt()
    .setExpirationTime(`${opts.ttlSeconds ?? 3600}s`)
    .sign(key);
}
