import { LockMode, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { Model, ModelPrice } from './model.entity';

/**
 * The catalog's queries. Models belong to the platform, not to an account, so
 * nothing here takes an account id; the caller's `em` comes from its
 * `ctx.read` / `ctx.write` (the transaction is the kit's).
 */
export type ModelWhere = FilterQuery<Model>;

/** Up to `take` models after `after` in id order (UUIDv7: creation order). */
export const modelsAfter = (em: EntityManager, where: ModelWhere, after: string | null, take: number): Promise<Model[]> =>
  em.find(Model, after ? { $and: [where, { id: { $gt: after } }] } : where, { orderBy: { id: 'asc' }, limit: take });

export const countModels = (em: EntityManager, where: ModelWhere): Promise<number> => em.count(Model, where);

/** The model, locked for the rest of the transaction; null when there is none. */
export const lockModel = (em: EntityManager, id: string): Promise<Model | null> =>
  em.findOne(Model, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });

/** Every price of these models, newest first (one statement for a batch). */
export const pricesOf = (em: EntityManager, modelIds: string[]): Promise<ModelPrice[]> =>
  em.find(ModelPrice, { modelId: { $in: modelIds } }, { orderBy: { modelId: 'asc', validFrom: 'desc' } });

/** Records a price in force from `validFrom` (the model row is locked, so prices of one model never race). */
export const recordPrice = (em: EntityManager, price: ModelPrice) =>
  em.upsert(ModelPrice, price, { onConflictFields: ['modelId', 'validFrom'], onConflictAction: 'merge' });
