import { paginate, validationError, type ConnectionArgs, type RequestContext } from '@cockpit/kit';
import type { NodeFigures, NodeRef } from '../allocations/allocation.repository';
import { cycleWindowAt, type Cycle, type CycleWindow } from '../plans/cycle';
import type { BudgetPlan } from '../plans/plan.entity';
import { planLoader } from '../plans/plan.service';
import { cycleRepository, type CycleTotals } from './cycle.repository';

/** The cycle `now` falls in under the account's plan, with its end; null without a plan. */
export const cycleWindow = (plan: BudgetPlan | null, now: Date): CycleWindow | null =>
  plan ? cycleWindowAt(new Date(plan.cycleAnchor), plan.cycle as Cycle, now) : null;

/** A cycle list's cursor is its start, ISO 8601 in UTC; nothing else is one. */
const isoKey = (k: string) => !Number.isNaN(Date.parse(k)) && new Date(k).toISOString() === k;

export interface CycleSummary extends CycleTotals {
  current: boolean;
}

/**
 * The account's cycles (BU7), newest first: the current one (by the plan and the clock, listed even before anything
 * was written in it) and every past cycle that saw a write, each with the account's bound and the credits used.
 */
export async function budgetCycles(ctx: RequestContext, accountId: string, args: ConnectionArgs) {
  const plan = await planLoader(ctx).load(accountId);
  const current = cycleWindow(plan, ctx.now());
  const virtual = async (): Promise<CycleTotals | null> => {
    if (!current || (await ctx.read((em) => cycleRepository.known(em, accountId, current.start)))) return null;
    const [{ bound }] = await ctx.read((em) =>
      em.execute(`select (?::numeric + ?::numeric)::text as bound`, [plan!.monthlyCredits, plan!.overflowLimit]),
    );
    return { ...current, limit: bound, used: '0', remaining: bound };
  };
  const summary = (c: CycleTotals): CycleSummary => ({
    ...c,
    current: !!current && c.start.getTime() === current.start.getTime(),
  });
  return paginate(args, {
    cursor: isoKey,
    key: (c: CycleSummary) => c.start.toISOString(),
    rows: async ({ after, take }) => {
      const rows = await ctx.read((em) => cycleRepository.page(em, accountId, after ? new Date(after) : null, take));
      const lead = after ? null : await virtual();
      return (lead ? [lead, ...rows] : rows).map(summary);
    },
    count: async () => (await ctx.read((em) => cycleRepository.count(em, accountId))) + ((await virtual()) ? 1 : 0),
  });
}

/**
 * The figures of nodes in a past cycle (BU7), batched per account and cycle. A cycle the account never wrote in is
 * VALIDATION_ERROR: there is nothing to show, and no read can create one.
 */
export function pastNodeLoader(ctx: RequestContext) {
  return ctx.loader<string, NodeFigures>('budgetNodePast', async (keys) => {
    const groups = new Map<string, NodeRef[]>();
    for (const k of keys) {
      const [accountId, iso, scopeType, scopeId] = k.split('|');
      const g = `${accountId}|${iso}`;
      (groups.get(g) ?? groups.set(g, []).get(g)!).push({ scopeType: scopeType as NodeRef['scopeType'], scopeId });
    }
    const out = new Map<string, NodeFigures | Error>();
    for (const [g, nodes] of groups) {
      const [accountId, iso] = g.split('|');
      const start = new Date(iso);
      const known = await ctx.read((em) => cycleRepository.known(em, accountId, start));
      if (!known) {
        const err = validationError({ cycle: "is not the start of one of the account's cycles (see budgetCycles)" }, 'Unknown cycle');
        for (const n of nodes) out.set(`${g}|${n.scopeType}|${n.scopeId}`, err);
        continue;
      }
      for (const f of await ctx.read((em) => cycleRepository.pastFigures(em, accountId, start, nodes)))
        out.set(`${g}|${f.scopeType}|${f.scopeId}`, f);
    }
    return keys.map((k) => out.get(k)!);
  });
}
