import type { MikroORM } from '@mikro-orm/postgresql';
import { accountStatus, adminRole } from '@cockpit/contracts';
import { anyUuid, inTenantTx, isUuid, type InternalRoute } from '@cockpit/kit';
import { gatewayRoute } from '../gateway-contract/route';

export const ACCOUNT_STATUS_PATH = accountStatus.path;
export const ADMIN_ROLE_PATH = adminRole.path;
export type { AccountStatusAnswer, AdminRoleAnswer } from '@cockpit/contracts';

/**
 * What the gateway asks about accounts behind OIDC tokens (API-key lookups carry
 * it already): platform scope, since the caller is a service, not a tenant.
 */
export function accountRoutes(orm: MikroORM): Record<string, InternalRoute> {
  return {
    ...gatewayRoute(accountStatus, async ({ accountIds }) => {
      // a malformed id names no account: omitted like an unknown one rather than failing the batch
      const wanted = [...new Set(accountIds.filter(isUuid).map((i) => i.toLowerCase()))];
      if (!wanted.length) return { statuses: {}, planTiers: {} };
      const rows = await inTenantTx(orm.em.fork(), { accountId: null, platform: true }, (em) =>
        em.execute(`select id, status, plan_tier from "identity"."account" where ${anyUuid('id')}`, [wanted]),
      );
      return {
        statuses: Object.fromEntries(rows.map((r: any) => [r.id, r.status])),
        planTiers: Object.fromEntries(rows.map((r: any) => [r.id, r.plan_tier])),
      };
    }),

    ...gatewayRoute(adminRole, async ({ accountId, email }) => {
      if (!isUuid(accountId)) return { role: null };
      // one probe of account_admin_email_uq (account_id, lower(email))
      const rows = await inTenantTx(orm.em.fork(), { accountId: null, platform: true }, (em) =>
        em.execute(`select role from "identity"."account_admin" where account_id = ? and lower(email) = ?`, [
          accountId.toLowerCase(),
          email.trim().toLowerCase(),
        ]),
      );
      return { role: rows[0]?.role ?? null };
    }),
  };
}
