import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const MODEL_KINDS = ['CHAT', 'EMBEDDING', 'IMAGE', 'AUDIO', 'VIDEO'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];
export const MODEL_STATUSES = ['ACTIVE', 'DEPRECATED'] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

/**
 * A platform-wide catalog row: no account_id, no RLS; only super admins write it.
 * The prices here are the current ones; `ModelPrice` keeps every price with the
 * instant it took effect.
 */
export const Model = defineEntity({
  name: 'Model',
  tableName: 'model',
  properties: {
    id: p.uuid().primary(),
    providerId: p.uuid(),
    name: p.string().unique(),
    displayName: p.string(),
    kind: p.string().$type<ModelKind>(),
    contextWindow: p.integer().nullable(),
    inputPricePerMtok: p.decimal('string').precision(30).scale(10),
    outputPricePerMtok: p.decimal('string').precision(30).scale(10),
    status: p.string().$type<ModelStatus>(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type Model = InferEntity<typeof Model>;

/** One price of a model, in force from `validFrom` until the next row's (CA1: a past cost stays explainable). */
export const ModelPrice = defineEntity({
  name: 'ModelPrice',
  tableName: 'model_price',
  properties: {
    modelId: p.uuid().primary(),
    validFrom: p.datetime().primary(),
    inputPricePerMtok: p.decimal('string').precision(30).scale(10),
    outputPricePerMtok: p.decimal('string').precision(30).scale(10),
  },
});
export type ModelPrice = InferEntity<typeof ModelPrice>;
