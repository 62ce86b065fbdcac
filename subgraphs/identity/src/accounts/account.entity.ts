import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const PLAN_TIERS = ['FREE', 'TEAM', 'ENTERPRISE'] as const;
export type PlanTier = (typeof PLAN_TIERS)[number];
export const ACCOUNT_STATUSES = ['ACTIVE', 'SUSPENDED', 'DELETED'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const Account = defineEntity({
  name: 'Account',
  tableName: 'account',
  properties: {
    id: p.uuid().primary(),
    name: p.string(),
    emailDomain: p.string(),
    planTier: p.string(),
    status: p.string(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    /** Set exactly when status is DELETED (soft delete). */
    deletedAt: p.datetime().nullable(),
  },
});
export type Account = InferEntity<typeof Account>;
