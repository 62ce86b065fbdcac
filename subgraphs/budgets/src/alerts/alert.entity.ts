import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** The thresholds of a level's limit that raise an alert (BU9), in percent. */
export const ALERT_THRESHOLDS = [80, 100] as const;

/**
 * One threshold a level crossed in one cycle (BU9). Its primary key (account, domain, cycle, level, node, threshold)
 * is what makes the alert exactly once: the debit that first finds the level at or past the threshold inserts it
 * `on conflict do nothing`, in its own transaction, and only an inserted row is audited.
 */
export const BudgetAlert = defineEntity({
  name: 'BudgetAlert',
  tableName: 'budget_alert',
  properties: {
    accountId: p.uuid().primary(),
    domain: p.string().primary(),
    cycleStart: p.datetime().primary(),
    scopeType: p.string().primary(),
    scopeId: p.uuid().primary(),
    threshold: p.integer().primary(),
    id: p.uuid(),
    creditLimit: p.decimal('string').precision(21).scale(4),
    used: p.decimal('string').precision(34).scale(14),
    emittedAt: p.datetime(),
  },
});
export type BudgetAlert = InferEntity<typeof BudgetAlert>;
