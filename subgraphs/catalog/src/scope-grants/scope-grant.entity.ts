import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const RESOURCE_KINDS = ['AGENT', 'CONNECTION', 'MARKETPLACE_ITEM'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
export const ACCESS_SCOPE_TYPES = ['ORG', 'TEAM', 'USER'] as const;
export type AccessScopeType = (typeof ACCESS_SCOPE_TYPES)[number];

/**
 * Who may use an agent definition (CA6) or a tool connection (CA7), or discover a marketplace item
 * (CA8): one row per resource and org, team or user (tenant table, RLS). A user may use what is granted to them, their teams or their orgs.
 */
export const ScopeGrant = defineEntity({
  name: 'ScopeGrant',
  tableName: 'scope_grant',
  properties: {
    accountId: p.uuid().primary(),
    resourceKind: p.string().$type<ResourceKind>().primary(),
    resourceId: p.uuid().primary(),
    scopeId: p.uuid().primary(),
    scopeType: p.string().$type<AccessScopeType>(),
    createdAt: p.datetime(),
  },
});
export type ScopeGrant = InferEntity<typeof ScopeGrant>;
