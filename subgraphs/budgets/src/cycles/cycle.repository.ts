import type { EntityManager } from '@mikro-orm/postgresql';
import { tablesOf } from '@cockpit/kit';
import { Allocation, BudgetBalance } from '../allocations/allocation.entity';
import type { NodeFigures, NodeRef } from '../allocations/allocation.repository';
import type { CycleWindow } from '../plans/cycle';
import { BudgetCycleRow } from './cycle.entity';

const T = (em: EntityManager) => tablesOf(em, { cycle: BudgetCycleRow, balance: BudgetBalance, allocation: Allocation });

/** One cycle and the account's totals in it, exact decimal strings computed by PostgreSQL. */
export interface CycleTotals {
  start: Date;
  end: Date;
  cycle: CycleWindow['cycle'];
  /** The account's bound that cycle (null: no balance row yet, the plan's bound then applies). */
  limit: string | null;
  used: string;
  /** limit − used, never below 0; null with the limit. */
  remaining: string | null;
}

export const cycleRepository = {
  /** Records the cycle a write lands in; a repeat, a racing replica or a later write of the same cycle changes nothing. */
  ensure: (em: EntityManager, accountId: string, w: CycleWindow) =>
    em.execute(
      `insert into ${T(em).cycle} (account_id, cycle_start, cycle_end, cycle) values (?, ?, ?, ?)
       on conflict (account_id, cycle_start) do nothing`,
      [accountId, w.start, w.end, w.cycle],
    ),

  /** The current cycle's window after a plan change (its end follows a new cycle length). */
  set: (em: EntityManager, accountId: string, w: CycleWindow) =>
    em.execute(
      `insert into ${T(em).cycle} (account_id, cycle_start, cycle_end, cycle) values (?, ?, ?, ?)
       on conflict (account_id, cycle_start) do update set cycle_end = excluded.cycle_end, cycle = excluded.cycle`,
      [accountId, w.start, w.end, w.cycle],
    ),

  /** Ends a cycle early (a shorter cycle length whose end had already passed: the next cycle starts at `end`). */
  close: (em: EntityManager, accountId: string, start: Date, end: Date) =>
    em.execute(`update ${T(em).cycle} set cycle_end = ? where account_id = ? and cycle_start = ? and cycle_end > ?`, [
      end,
      accountId,
      start,
      end,
    ]),

  /** Raw SQL: a page of the account's cycles, newest first (the primary key read backwards), with the account level's balance. */
  async page(em: EntityManager, accountId: string, before: Date | null, take: number): Promise<CycleTotals[]> {
    const t = T(em);
    const rows = await em.execute(
      `select c.cycle_start, c.cycle_end, c.cycle, b.credit_limit::text as "limit", coalesce(b.used, 0)::text as used,
              greatest(b.credit_limit - coalesce(b.used, 0), 0)::text as remaining
         from ${t.cycle} c
         left join ${t.balance} b on b.account_id = c.account_id and b.domain = 'COPILOT' and b.cycle_start = c.cycle_start
                                 and b.scope_type = 'ACCOUNT' and b.scope_id = c.account_id
        where c.account_id = ? and (?::timestamptz is null or c.cycle_start < ?::timestamptz)
        order by c.cycle_start desc limit ?`,
      [accountId, before, before, take],
    );
    return rows.map((r: any) => ({
      start: new Date(r.cycle_start),
      end: new Date(r.cycle_end),
      cycle: r.cycle,
      limit: r.limit,
      used: r.used,
      remaining: r.remaining,
    }));
  },

  count: async (em: EntityManager, accountId: string): Promise<number> =>
    Number((await em.execute(`select count(*)::int as n from ${T(em).cycle} where account_id = ?`, [accountId]))[0].n),

  /** Whether the account has a recorded cycle starting at `start`. */
  known: async (em: EntityManager, accountId: string, start: Date): Promise<boolean> =>
    (await em.execute(`select 1 from ${T(em).cycle} where account_id = ? and cycle_start = ?`, [accountId, start])).length > 0,

  /**
   * Raw SQL: nodes' figures in a past cycle, from that cycle's balances alone (allocations stand for every cycle, so
   * today's say nothing of a past one): the bound the balance ended the cycle with and what was used. A node without a
   * balance that cycle (nothing spent, no allocation written) is unbounded there.
   */
  async pastFigures(em: EntityManager, accountId: string, cycleStart: Date, nodes: readonly NodeRef[]): Promise<NodeFigures[]> {
    if (!nodes.length) return [];
    const rows = await em.execute(
      `with w(n, scope_type, scope_id) as (values ${nodes.map((_, i) => `(${i}, ?::text, ?::uuid)`).join(', ')})
       select w.scope_type, w.scope_id, b.credit_limit::text as "limit", coalesce(b.used, 0)::text as used,
              greatest(b.credit_limit - coalesce(b.used, 0), 0)::text as remaining
         from w left join ${T(em).balance} b on b.account_id = ? and b.domain = 'COPILOT' and b.cycle_start = ?
                                             and b.scope_type = w.scope_type and b.scope_id = w.scope_id
        order by w.n`,
      [...nodes.flatMap((n) => [n.scopeType, n.scopeId]), accountId, cycleStart],
    );
    return rows.map((r: any) => ({
      accountId,
      scopeType: r.scope_type,
      scopeId: r.scope_id,
      allocated: r.limit,
      unallocated: null,
      used: r.used,
      limit: r.limit,
      remaining: r.limit === null ? null : r.remaining,
      cycleStart,
    }));
  },
};
