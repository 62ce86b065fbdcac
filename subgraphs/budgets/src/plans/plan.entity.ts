import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const BudgetPlan = defineEntity({
  name: 'BudgetPlan',
  tableName: 'budget_plan',
  properties: {
    accountId: p.uuid().primary(),
    monthlyCredits: p.decimal('string').precision(20).scale(4),
    overflowLimit: p.decimal('string').precision(20).scale(4),
    creditFactor: p.decimal('string').precision(12).scale(6),
    cycle: p.string(),
    cycleAnchor: p.datetime(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type BudgetPlan = InferEntity<typeof BudgetPlan>;
