import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * An account's agent definition (CA6): instructions, a default model from its creator's effective
 * set, tools (the account's connections) and at least one guardrail preset (tenant table, RLS).
 */
export const AgentDefinition = defineEntity({
  name: 'AgentDefinition',
  tableName: 'agent_definition',
  properties: {
    id: p.uuid().primary(),
    accountId: p.uuid(),
    name: p.string(),
    description: p.text(),
    instructions: p.text(),
    defaultModelId: p.uuid(),
    connectionIds: p.array(),
    guardrailPresetIds: p.array(),
    /** The creating principal's directory user or subject, for the record. */
    createdBy: p.string().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type AgentDefinition = InferEntity<typeof AgentDefinition>;
