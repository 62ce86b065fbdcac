import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** The nodes of the Copilot tree that can hold credits (BU2); the account's own are its plan's. */
export const ALLOCATION_SCOPES = ['ORG', 'TEAM', 'USER'] as const;
export type AllocationScope = (typeof ALLOCATION_SCOPES)[number];
export type ChainLevel = 'ACCOUNT' | AllocationScope;
/** Allocations belong to the Copilot tree; CONSOLE is recorded for spend visibility only. */
export const BUDGET_DOMAINS = ['COPILOT', 'CONSOLE'] as const;
export type BudgetDomain = (typeof BUDGET_DOMAINS)[number];

/**
 * Credits an admin gave one org, team or user of the Copilot tree (BU2), standing for every cycle of
 * the plan. `orgId`/`teamId` record where the node sat in the directory at the last write (a team's
 * org; a user's team and its org), which places it under its nearest allocated ancestor. `override`
 * marks a per-user amount that equal distribution leaves alone (BU3).
 */
export const Allocation = defineEntity({
  name: 'Allocation',
  tableName: 'allocation',
  properties: {
    accountId: p.uuid().primary(),
    domain: p.string().primary(),
    scopeType: p.string().primary(),
    scopeId: p.uuid().primary(),
    amount: p.decimal('string').precision(20).scale(4),
    orgId: p.uuid().nullable(),
    teamId: p.uuid().nullable(),
    override: p.boolean(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type Allocation = InferEntity<typeof Allocation>;

/**
 * The running total of one bounded level (the account, or a node with an allocation) in one cycle:
 * enforcement is one conditional UPDATE of this row (`used + credits <= credit_limit`). `creditLimit`
 * is the allocation (the account's: monthly credits + overflow), kept in step by the writes that change it.
 */
export const BudgetBalance = defineEntity({
  name: 'BudgetBalance',
  tableName: 'budget_balance',
  properties: {
    accountId: p.uuid().primary(),
    domain: p.string().primary(),
    cycleStart: p.datetime().primary(),
    scopeType: p.string().primary(),
    scopeId: p.uuid().primary(),
    creditLimit: p.decimal('string').precision(21).scale(4).nullable(),
    used: p.decimal('string').precision(34).scale(14),
    updatedAt: p.datetime(),
  },
});
export type BudgetBalance = InferEntity<typeof BudgetBalance>;
