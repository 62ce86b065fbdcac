import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const GRANT_SCOPE_TYPES = ['ACCOUNT', 'ORG', 'TEAM', 'USER'] as const;
export type GrantScopeType = (typeof GRANT_SCOPE_TYPES)[number];

/**
 * An account admin's explicit selection of eligible models for one scope (CA3): the account
 * itself, an org, a team or a user (tenant table, RLS). A scope with no row inherits.
 */
export const ModelGrant = defineEntity({
  name: 'ModelGrant',
  tableName: 'model_grant',
  properties: {
    accountId: p.uuid().primary(),
    /** The account's id for ACCOUNT, else the org's, team's or user's (UUIDs never collide across kinds). */
    scopeId: p.uuid().primary(),
    scopeType: p.string().$type<GrantScopeType>(),
    modelIds: p.array(),
    updatedAt: p.datetime(),
  },
});
export type ModelGrant = InferEntity<typeof ModelGrant>;
