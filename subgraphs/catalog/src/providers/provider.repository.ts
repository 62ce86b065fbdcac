import { LockMode, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { Provider } from './provider.entity';

/** The providers' queries (platform rows: no account id); the caller's `em` is its `ctx.read` / `ctx.write`'s. */
export const providerRepository = {
  /** Up to `take` providers after the name `after`, by name. */
  after: (em: EntityManager, where: FilterQuery<Provider>, after: string | null, take: number) =>
    em.find(Provider, after ? { $and: [where, { name: { $gt: after } }] } : where, { orderBy: { name: 'asc' }, limit: take }),
  count: (em: EntityManager, where: FilterQuery<Provider>) => em.count(Provider, where),
  lock: (em: EntityManager, id: string) => em.findOne(Provider, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE }),
  find: (em: EntityManager, id: string) => em.findOne(Provider, { id }),
};
