import { assertDecimals, decimalColumns, type RequestContext } from '@cockpit/kit';
import { BudgetPlan } from './plan.entity';
import { allocationRepository } from '../allocations/allocation.repository';
import { cycleRepository } from '../cycles/cycle.repository';
import { cycleWindowAt, reanchor, type Cycle } from './cycle';
import { insertPlanIfAbsent, lockPlan, plansOf, type PlanInput } from './plan.repository';

/** Each amount checked against its column (numeric(20,4), numeric(12,6)): stored exactly, or VALIDATION_ERROR. */
const PLAN_COLUMNS = decimalColumns(BudgetPlan, { monthlyCredits: 'zero', overflowLimit: 'zero', creditFactor: 'positive' });

export function validatePlan(input: PlanInput): void {
  assertDecimals(input, PLAN_COLUMNS);
}

/**
 * Creates or replaces an account's plan and audits it, in one transaction; the account's balance of the
 * current cycle takes the new bound (monthly credits + overflow) in the same transaction.
 * Concurrent first writes are safe: the insert skips on conflict (waiting for a
 * competing insert to commit), and an existing plan is locked before it changes.
 * A change of cycle length re-anchors the plan (BU7, `reanchor`): the current cycle keeps its start and its usage.
 */
export async function setPlan(ctx: RequestContext, accountId: string, input: PlanInput): Promise<BudgetPlan> {
  validatePlan(input);
  return ctx.write(async ({ em, audit }) => {
    const now = ctx.now();
    const inserted = await insertPlanIfAbsent(em, accountId, input, now);
    let before: PlanInput | null = null;
    const plan = await lockPlan(em, accountId);
    if (!inserted) {
      before = {
        monthlyCredits: plan.monthlyCredits,
        overflowLimit: plan.overflowLimit,
        creditFactor: plan.creditFactor,
        cycle: plan.cycle as PlanInput['cycle'],
      };
      const anchor = new Date(plan.cycleAnchor);
      const was = before.cycle as Cycle;
      const cycleAnchor = was === input.cycle ? anchor : reanchor(anchor, was, input.cycle, now);
      // a shorter cycle whose end has passed: the cycle it cut short ends at the change
      if (cycleAnchor.getTime() === now.getTime() && anchor.getTime() !== now.getTime())
        await cycleRepository.close(em, accountId, cycleWindowAt(anchor, was, now).start, now);
      em.assign(plan, { ...input, cycleAnchor, updatedAt: now });
      await em.flush();
    }
    // the account's bound in the current cycle follows the plan at once (BU6): monthly credits + overflow
    const [{ bound }] = await em.execute(`select (?::numeric + ?::numeric)::text as bound`, [input.monthlyCredits, input.overflowLimit]);
    const window = cycleWindowAt(new Date(plan.cycleAnchor), plan.cycle as Cycle, now);
    await cycleRepository.set(em, accountId, window);
    await allocationRepository.setBalanceLimit(em, accountId, window.start, { scopeType: 'ACCOUNT', scopeId: accountId }, bound, now);
    await audit({
      type: 'budget.plan.set',
      subject: { type: 'BudgetPlan', id: accountId },
      payload: { before, after: input },
    });
    return plan;
  });
}

/** Batched: one query for every account asked about in this request. */
export function planLoader(ctx: RequestContext) {
  return ctx.loader<string, BudgetPlan | null>('planByAccount', async (ids) => {
    const rows = await ctx.read((em) => plansOf(em, ids));
    const byId = new Map(rows.map((r) => [r.accountId, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}
