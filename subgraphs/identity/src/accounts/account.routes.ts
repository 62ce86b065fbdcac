import type { MikroORM } from '@mikro-orm/postgresql';
import { accountStatus, adminRole, type AdminRoleAnswer } from '@cockpit/contracts';
import { inPlatformTx, isUuid, type InternalRoute } from '@cockpit/kit';
import { accountAdminRepository } from '../account-admins/account-admin.repository';
import { gatewayRoute } from '../gateway-contract/route';
import { accountRepository } from './account.repository';

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
      const rows = await inPlatformTx(orm, (em) => accountRepository.statuses(em, wanted));
      return {
        statuses: Object.fromEntries(rows.map((r) => [r.id, r.status])),
        planTiers: Object.fromEntries(rows.map((r) => [r.id, r.planTier])),
      };
    }),

    ...gatewayRoute(adminRole, async ({ accountId, email }) => {
      if (!isUuid(accountId)) return { role: null };
      const role = await inPlatformTx(orm, (em) => accountAdminRepository.roleOf(em, accountId.toLowerCase(), email.trim()));
      return { role: role as AdminRoleAnswer['role'] };
    }),
  };
}
