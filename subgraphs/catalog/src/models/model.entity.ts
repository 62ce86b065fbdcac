import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const MODEL_KINDS = ['CHAT', 'EMBEDDING', 'IMAGE', 'AUDIO', 'VIDEO'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];
export const MODEL_STATUSES = ['ACTIVE', 'DEPRECATED'] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

/** A platform-wide catalog row: no account_id, no RLS; only super admins write it. */
export const Model = defineEntity({
  name: 'Model',
  tableName: 'model',
  properties: {
    id: p.uuid().primary(),
    provider: p.string(),
    name: p.string().unique(),
    displayName: p.string(),
    kind: p.string().$type<ModelKind>(),
    inputPricePerMtok: p.decimal('string').precision(30).scale(10),
    outputPricePerMtok: p.decimal('string').precision(30).scale(10),
    status: p.string().$type<ModelStatus>(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type Model = InferEntity<typeof Model>;
