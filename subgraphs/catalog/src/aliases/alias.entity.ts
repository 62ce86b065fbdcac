import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** An account-level alias of a model (CA5): callers may name the model by it; tenant table, RLS. */
export const ModelAlias = defineEntity({
  name: 'ModelAlias',
  tableName: 'model_alias',
  properties: {
    accountId: p.uuid().primary(),
    alias: p.string().primary(),
    modelId: p.uuid(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type ModelAlias = InferEntity<typeof ModelAlias>;
