import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Account, type AccountStatus } from './account.entity';

/** Which accounts a list shows: one status (every one but DELETED without it) and a case-insensitive "contains" on the name. */
export interface AccountWhere {
  status: AccountStatus | null;
  search: string;
}

/** `ilike` pattern for "contains", with the user's `%`, `_` and `\` taken literally (`\` is the default escape). */
const containsPattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const filterOf = (w: AccountWhere) => ({
  status: w.status ?? { $ne: 'DELETED' },
  ...(w.search ? { name: { $ilike: containsPattern(w.search) } } : {}),
});

/**
 * Accounts, read and locked through the ORM. Accounts are the tenants
 * themselves (the row's `id` is its account id), so the caller's transaction
 * scope — RLS on `account.id` — is what confines them.
 */
export const accountRepository = {
  /** The account row, locked for the rest of the caller's write: edits and status changes of one account serialize. */
  lock: (em: EntityManager, id: string) => em.findOne(Account, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE }),

  exists: async (em: EntityManager, id: string) => (await em.count(Account, { id })) > 0,

  /** Keyset page by id. */
  page: (em: EntityManager, where: AccountWhere, after: string | null, take: number) =>
    em.find(Account, { ...filterOf(where), ...(after ? { id: { $gt: after } } : {}) }, { orderBy: { id: 'asc' }, limit: take }),

  count: (em: EntityManager, where: AccountWhere) => em.count(Account, filterOf(where)),

  /** Status and plan tier of each account asked about (the gateway's account-status route). */
  statuses: (em: EntityManager, ids: string[]) => em.find(Account, { id: { $in: ids } }, { fields: ['id', 'status', 'planTier'] }),
};
