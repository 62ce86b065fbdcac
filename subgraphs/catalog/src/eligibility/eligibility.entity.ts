import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** One catalog model a super admin made eligible for one account (tenant table, RLS). */
export const AccountModelEligibility = defineEntity({
  name: 'AccountModelEligibility',
  tableName: 'account_model_eligibility',
  properties: {
    accountId: p.uuid().primary(),
    modelId: p.uuid().primary(),
    createdAt: p.datetime(),
  },
});
export type AccountModelEligibility = InferEntity<typeof AccountModelEligibility>;
