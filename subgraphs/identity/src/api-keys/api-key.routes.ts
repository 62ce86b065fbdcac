import type { MikroORM } from '@mikro-orm/postgresql';
import { apiKeyLookup, type ApiKeyLookup } from '@cockpit/contracts';
import { inTenantTx, type InternalRoute, type Role } from '@cockpit/kit';
import { gatewayRoute } from '../gateway-contract/route';
import { ApiKeyUsage } from './api-key.last-used';

export const LOOKUP_PATH = apiKeyLookup.path;
export type { ApiKeyLookup } from '@cockpit/contracts';

/**
 * What a key may do: a platform ADMIN key is a super admin; an account ADMIN key
 * acts as the account's ADMIN, or, bound to a user, with that user's account-admin
 * role (VIEWER when the user administers nothing) but never above ADMIN — a key
 * must not manage owners; a CLIENT key is a runtime caller (END_USER).
 */
export function keyRoles(tier: 'ADMIN' | 'CLIENT', accountId: string | null, userId: string | null, userRole: string | null): Role[] {
  if (tier === 'CLIENT') return ['END_USER'];
  if (accountId === null) return ['SUPER_ADMIN'];
  if (userId === null) return ['ADMIN'];
  if (userRole === 'OWNER' || userRole === 'ADMIN') return ['ADMIN'];
  if (userRole === 'OPERATOR') return ['OPERATOR'];
  return ['VIEWER'];
}

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());

/**
 * The gateway's API-key lookup: by sha256 (the unique index makes it one probe;
 * comparing hashes rather than secrets is what makes timing useless). Revoked and
 * expired keys are returned as such so the gateway can say why it refuses them.
 */
export function apiKeyRoutes(orm: MikroORM, usage: ApiKeyUsage = new ApiKeyUsage()): Record<string, InternalRoute> {
  usage.attach(orm);
  return gatewayRoute(apiKeyLookup, async ({ hash }) =>
    inTenantTx(orm.em.fork(), { accountId: null, platform: true }, async (em) => {
      const rows = await em.execute(
        `select k.id, k.account_id, k.user_id, k.tier, k.scopes, k.model_allowlist, k.expires_at, k.revoked_at, a.status as account_status,
                  (select u.status from "identity"."app_user" u where u.id = k.user_id) as user_status,
                  sa.id as sa_id, sa.name as sa_name, sa.scopes as sa_scopes, sa.disabled_at as sa_disabled_at,
                  (select aa.role from "identity"."app_user" u
                     join "identity"."account_admin" aa on aa.account_id = u.account_id and lower(aa.email) = lower(u.email)
                    where u.id = k.user_id and u.account_id = k.account_id limit 1) as user_role
             from "identity"."api_key" k left join "identity"."account" a on a.id = k.account_id
                  left join "identity"."service_account" sa on sa.id = k.service_account_id
            where k.hash = ?`,
        [hash],
      );
      const r = rows[0];
      if (!r) return { key: null };
      // last-used is advisory: remembered here, written in batches (api-key.last-used.ts), never per lookup
      if (!r.revoked_at && (!r.expires_at || new Date(r.expires_at).getTime() > Date.now())) usage.mark(r.id);
      const key: ApiKeyLookup = {
        id: r.id,
        accountId: r.account_id,
        userId: r.user_id,
        tier: r.tier,
        scopes: r.scopes ?? [],
        modelAllowlist: r.model_allowlist ?? [],
        expiresAt: iso(r.expires_at),
        revokedAt: iso(r.revoked_at),
        accountStatus: r.account_status ?? null,
        userStatus: r.user_status ?? null,
        roles: keyRoles(r.tier, r.account_id, r.user_id, r.user_role),
        serviceAccount: r.sa_id ? { id: r.sa_id, name: r.sa_name, scopes: r.sa_scopes ?? [], disabledAt: iso(r.sa_disabled_at) } : null,
      };
      return { key };
    }),
  );
}
