import type { EntityManager } from '@mikro-orm/postgresql';
import { ServiceAccount } from './service-account.entity';

/** Service accounts are platform-level (no account id, no RLS): only super admins reach these. */
export const serviceAccountRepository = {
  find: (em: EntityManager, id: string) => em.findOne(ServiceAccount, { id }),

  /** Keyset page by id. */
  page: (em: EntityManager, after: string | null, take: number) =>
    em.find(ServiceAccount, after ? { id: { $gt: after } } : {}, { orderBy: { id: 'asc' }, limit: take }),

  count: (em: EntityManager) => em.count(ServiceAccount, {}),
};
