import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * One cycle of an account's plan that saw a write (BU7): its window and the cycle length it ran under, kept so a past
 * cycle's end stays what it was after the plan's cycle changes. Its totals are the balances keyed by `cycleStart`.
 */
export const BudgetCycleRow = defineEntity({
  name: 'BudgetCycleRow',
  tableName: 'budget_cycle',
  properties: {
    accountId: p.uuid().primary(),
    cycleStart: p.datetime().primary(),
    cycleEnd: p.datetime(),
    cycle: p.string(),
  },
});
export type BudgetCycleRow = InferEntity<typeof BudgetCycleRow>;
