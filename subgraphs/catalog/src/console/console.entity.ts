import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { GrantScopeType } from '../grants/grant.entity';

/**
 * One catalog model an account's console (BYOK) users may bring their own keys for (CA4): the
 * super admin's console model policy, a row per model (tenant table, RLS). It bounds the console
 * grants as eligibility bounds the Copilot ones.
 */
export const ConsoleModelPolicy = defineEntity({
  name: 'ConsoleModelPolicy',
  tableName: 'console_model_policy',
  properties: {
    accountId: p.uuid().primary(),
    modelId: p.uuid().primary(),
    createdAt: p.datetime(),
  },
});
export type ConsoleModelPolicy = InferEntity<typeof ConsoleModelPolicy>;

/** An account admin's explicit selection of policy models for one scope of the CONSOLE tree (CA4); no row: it inherits. */
export const ConsoleModelGrant = defineEntity({
  name: 'ConsoleModelGrant',
  tableName: 'console_model_grant',
  properties: {
    accountId: p.uuid().primary(),
    /** The account's id for ACCOUNT, else the CONSOLE org's, team's or user's. */
    scopeId: p.uuid().primary(),
    scopeType: p.string().$type<GrantScopeType>(),
    modelIds: p.array(),
    updatedAt: p.datetime(),
  },
});
export type ConsoleModelGrant = InferEntity<typeof ConsoleModelGrant>;
