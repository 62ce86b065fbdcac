import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { GrantScopeType } from '../grants/grant.entity';

export const FEATURE_STATUSES = ['ACTIVE', 'DEPRECATED'] as const;
export type FeatureStatus = (typeof FEATURE_STATUSES)[number];

/** A platform feature (CA9): platform-wide, no account_id, no RLS; only super admins write it. */
export const Feature = defineEntity({
  name: 'Feature',
  tableName: 'feature',
  properties: {
    key: p.string().primary(),
    name: p.string(),
    description: p.string(),
    status: p.string().$type<FeatureStatus>(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type Feature = InferEntity<typeof Feature>;

/** One feature of an account's feature pack (CA9, super admin): what the account bought (tenant table, RLS). */
export const AccountFeaturePack = defineEntity({
  name: 'AccountFeaturePack',
  tableName: 'account_feature_pack',
  properties: {
    accountId: p.uuid().primary(),
    featureKey: p.string().primary(),
    createdAt: p.datetime(),
  },
});
export type AccountFeaturePack = InferEntity<typeof AccountFeaturePack>;

/** An account admin's explicit on/off for one feature at one scope (CA9); no row: the scope inherits. */
export const FeatureEntitlement = defineEntity({
  name: 'FeatureEntitlement',
  tableName: 'feature_entitlement',
  properties: {
    accountId: p.uuid().primary(),
    /** The account's id for ACCOUNT, else the org's, team's or user's. */
    scopeId: p.uuid().primary(),
    featureKey: p.string().primary(),
    scopeType: p.string().$type<GrantScopeType>(),
    enabled: p.boolean(),
    updatedAt: p.datetime(),
  },
});
export type FeatureEntitlement = InferEntity<typeof FeatureEntitlement>;
