import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * One spend reported by a runtime (BU5): exact cost and credits (`credits = cost × creditFactor`,
 * computed by PostgreSQL in numeric), the chain it was attributed to, the cycle it counts in.
 * Unique per account by idempotency key: a repeat returns this row and debits nothing.
 */
export const UsageRecord = defineEntity({
  name: 'UsageRecord',
  tableName: 'usage_record',
  properties: {
    id: p.uuid().primary(),
    accountId: p.uuid(),
    idempotencyKey: p.string(),
    domain: p.string(),
    model: p.string(),
    inputTokens: p.integer(),
    outputTokens: p.integer(),
    cost: p.decimal('string').precision(20).scale(8),
    creditFactor: p.decimal('string').precision(12).scale(6),
    credits: p.decimal('string').precision(34).scale(14),
    userId: p.uuid().nullable(),
    teamId: p.uuid().nullable(),
    orgId: p.uuid().nullable(),
    cycleStart: p.datetime(),
    recordedBy: p.string(),
    createdAt: p.datetime(),
    /** The catalog price the cost was computed from (BU5), so a past cost stays explainable; null when the caller gave it. */
    priceModelId: p.uuid().nullable(),
    priceInputPerMtok: p.decimal('string').precision(30).scale(10).nullable(),
    priceOutputPerMtok: p.decimal('string').precision(30).scale(10).nullable(),
    priceValidFrom: p.datetime().nullable(),
  },
});
export type UsageRecord = InferEntity<typeof UsageRecord>;
