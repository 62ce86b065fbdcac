import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AccountAdmin } from './account-admin.entity';

/** An account's admins, through the ORM (the kit's tenant filter and RLS confine them to the caller's scope). */
export const accountAdminRepository = {
  /** One of the account's admins, or null. */
  find: (em: EntityManager, accountId: string, id: string) => em.findOne(AccountAdmin, { id, accountId }),

  owners: (em: EntityManager, accountId: string) => em.count(AccountAdmin, { accountId, role: 'OWNER' }),

  /** The admins of every account asked about, in one query, by account then email. */
  ofAccounts: (em: EntityManager, accountIds: readonly string[]) =>
    em.find(AccountAdmin, { accountId: { $in: [...accountIds] } }, { orderBy: { accountId: 'asc', email: 'asc' } }),

  /** The grants of many (account, lowercase email) pairs in one query, matched like account_admin_email_uq (account_id, lower(email)). */
  rolesOf: (em: EntityManager, pairs: readonly [string, string][]) =>
    pairs.length
      ? em.find(AccountAdmin, { $or: pairs.map(([accountId, email]) => ({ accountId, [raw('lower(email)')]: email })) })
      : Promise.resolve([]),

  /** The role an email holds on the account: one probe of account_admin_email_uq (account_id, lower(email)). */
  roleOf: async (em: EntityManager, accountId: string, email: string): Promise<string | null> =>
    (await em.findOne(AccountAdmin, { accountId, [raw('lower(email)')]: email.toLowerCase() }, { fields: ['role'] }))?.role ?? null,
};
