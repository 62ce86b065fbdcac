import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A guardrail preset of one account (tenant table, RLS); deleted presets keep their row. */
export const GuardrailPreset = defineEntity({
  name: 'GuardrailPreset',
  tableName: 'guardrail_preset',
  properties: {
    id: p.uuid().primary(),
    accountId: p.uuid(),
    name: p.string(),
    description: p.text(),
    config: p.json<Record<string, unknown>>(),
    severity: p.string().$type<Severity>(),
    version: p.integer(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    deletedAt: p.datetime().nullable(),
  },
});
export type GuardrailPreset = InferEntity<typeof GuardrailPreset>;
