import type { MikroORM } from '@mikro-orm/postgresql';
import { type AccountRole, anyUuid, inTenantTx, type InternalRoute, invalidRequest, isUuid, requireService } from '@cockpit/kit';
import type { AccountStatus } from './account.entity';

export const ACCOUNT_STATUS_PATH = '/internal/accounts/status';
export const ADMIN_ROLE_PATH = '/internal/accounts/admin-role';
/** One request's worth of ids: enough for a gateway refreshing its cache in one call. */
export const MAX_STATUS_IDS = 1000;

/** `POST /internal/accounts/status` `{ accountIds }` → the status of each known account, keyed by lowercase id; unknown ids are omitted. */
export interface AccountStatusAnswer {
  statuses: Record<string, AccountStatus>;
}

/** `POST /internal/accounts/admin-role` `{ accountId, email }` → the email's account-admin role, null when it has none. */
export interface AdminRoleAnswer {
  role: AccountRole | null;
}

/**
 * What the gateway asks about accounts behind OIDC tokens (API-key lookups carry
 * it already): platform scope, since the caller is a service, not a tenant.
 */
export function accountRoutes(orm: MikroORM): Record<string, InternalRoute> {
  return {
    [ACCOUNT_STATUS_PATH]: async (body, principal): Promise<AccountStatusAnswer> => {
      requireService(principal, 'ask for account status');
      const ids = (body as { accountIds?: unknown } | null)?.accountIds;
      if (!Array.isArray(ids) || ids.some((i) => typeof i !== 'string'))
        throw invalidRequest('accountIds must be an array of strings', { accountIds: 'must be an array of account ids' });
      if (ids.length > MAX_STATUS_IDS)
        throw invalidRequest(`At most ${MAX_STATUS_IDS} account ids per request`, { accountIds: `at most ${MAX_STATUS_IDS}` });
      // a malformed id names no account: omitted like an unknown one rather than failing the batch
      const wanted = [...new Set((ids as string[]).filter(isUuid).map((i) => i.toLowerCase()))];
      if (!wanted.length) return { statuses: {} };
      const rows = await inTenantTx(orm.em.fork(), { accountId: null, platform: true }, (em) =>
        em.execute(`select id, status from "identity"."account" where ${anyUuid('id')}`, [wanted]),
      );
      return { statuses: Object.fromEntries(rows.map((r: any) => [r.id, r.status])) };
    },

    [ADMIN_ROLE_PATH]: async (body, principal): Promise<AdminRoleAnswer> => {
      requireService(principal, 'ask for admin roles');
      const { accountId, email } = (body ?? {}) as { accountId?: unknown; email?: unknown };
      if (typeof accountId !== 'string' || typeof email !== 'string')
        throw invalidRequest('accountId and email are required', {
          ...(typeof accountId !== 'string' ? { accountId: 'must be a string' } : {}),
          ...(typeof email !== 'string' ? { email: 'must be a string' } : {}),
        });
      if (!isUuid(accountId)) return { role: null };
      // one probe of account_admin_email_uq (account_id, lower(email))
      const rows = await inTenantTx(orm.em.fork(), { accountId: null, platform: true }, (em) =>
        em.execute(`select role from "identity"."account_admin" where account_id = ? and lower(email) = ?`, [
          accountId.toLowerCase(),
          email.trim().toLowerCase(),
        ]),
      );
      return { role: rows[0]?.role ?? null };
    },
  };
}
