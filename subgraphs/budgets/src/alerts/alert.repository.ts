import type { EntityManager } from '@mikro-orm/postgresql';
import { tablesOf, uuidv7 } from '@cockpit/kit';
import { BudgetBalance } from '../allocations/allocation.entity';
import type { NodeRef } from '../allocations/allocation.repository';
import { BudgetPlan } from '../plans/plan.entity';
import { ALERT_THRESHOLDS, BudgetAlert } from './alert.entity';

const T = (em: EntityManager) => tablesOf(em, { alert: BudgetAlert, balance: BudgetBalance, plan: BudgetPlan });

/** An alert as recorded and listed: exact decimal strings. */
export interface AlertRow {
  id: string;
  scopeType: NodeRef['scopeType'];
  scopeId: string;
  threshold: number;
  limit: string;
  used: string;
  cycleStart: Date;
  emittedAt: Date;
}

export interface AlertFilter {
  scopeType?: NodeRef['scopeType'] | null;
  cycleStart?: Date | null;
}

const mapRow = (r: any): AlertRow => ({
  id: r.id,
  scopeType: r.scope_type,
  scopeId: r.scope_id,
  threshold: r.threshold,
  limit: r.limit,
  used: r.used,
  cycleStart: new Date(r.cycle_start),
  emittedAt: new Date(r.emitted_at),
});

const where = (f: AlertFilter) => {
  const sql: string[] = ['account_id = ?'];
  const params: unknown[] = [];
  if (f.scopeType) {
    sql.push('scope_type = ?');
    params.push(f.scopeType);
  }
  if (f.cycleStart) {
    sql.push('cycle_start = ?');
    params.push(f.cycleStart);
  }
  return { sql, params };
};

export const alertRepository = {
  /**
   * Raw SQL (one `insert … select … on conflict do nothing`): after a debit, records every threshold of `levels` whose
   * used credits in the cycle reached it — the account's against its monthly credits (100 %: overflow begins), every
   * other level against its allocation. Run in the debit's transaction, which holds the levels' balance rows, so
   * what it reads is what the debit left; a threshold already alerted this cycle conflicts and is skipped, so
   * concurrent writers and later debits never repeat it. Returns the alerts this call inserted, nearest level first.
   */
  async recordCrossings(
    em: EntityManager,
    accountId: string,
    cycleStart: Date,
    levels: readonly NodeRef[],
    now: Date,
  ): Promise<AlertRow[]> {
    const t = T(em);
    const cand = levels.flatMap((l, n) => ALERT_THRESHOLDS.map((threshold) => ({ n, ...l, threshold, id: uuidv7() })));
    const rows = await em.execute(
      `with w(n, scope_type, scope_id, threshold, id) as (values ${cand.map(() => `(?::int, ?::text, ?::uuid, ?::int, ?::uuid)`).join(', ')}),
            c as (
              select w.n, w.id, w.scope_type, w.scope_id, w.threshold, b.used,
                     case when w.scope_type = 'ACCOUNT' then (select monthly_credits from ${t.plan} where account_id = ?) else b.credit_limit end as lim
                from w join ${t.balance} b on b.account_id = ? and b.domain = 'COPILOT' and b.cycle_start = ?
                                          and b.scope_type = w.scope_type and b.scope_id = w.scope_id
            )
       insert into ${t.alert} (account_id, domain, cycle_start, scope_type, scope_id, threshold, id, credit_limit, used, emitted_at)
       select ?, 'COPILOT', ?, c.scope_type, c.scope_id, c.threshold, c.id, c.lim, c.used, ?
         from c where c.lim > 0 and c.used * 100 >= c.lim * c.threshold
        order by c.n, c.threshold
       on conflict (account_id, domain, cycle_start, scope_type, scope_id, threshold) do nothing
       returning id, scope_type, scope_id, threshold, credit_limit::text as "limit", used::text as used, cycle_start, emitted_at`,
      [
        ...cand.flatMap((c) => [c.n, c.scopeType, c.scopeId, c.threshold, c.id]),
        accountId,
        accountId,
        cycleStart,
        accountId,
        cycleStart,
        now,
      ],
    );
    const order = new Map(cand.map((c, i) => [c.id, i]));
    return rows.map(mapRow).sort((a: AlertRow, b: AlertRow) => order.get(a.id)! - order.get(b.id)!);
  },

  /** Raw SQL: a page of the account's alerts, newest first (UUIDv7 ids), through the index of the filter given. */
  async page(em: EntityManager, accountId: string, f: AlertFilter, before: string | null, take: number): Promise<AlertRow[]> {
    const w = where(f);
    if (before) {
      w.sql.push('id < ?');
      w.params.push(before);
    }
    const rows = await em.execute(
      `select id, scope_type, scope_id, threshold, credit_limit::text as "limit", used::text as used, cycle_start, emitted_at
         from ${T(em).alert} where ${w.sql.join(' and ')} order by id desc limit ?`,
      [accountId, ...w.params, take],
    );
    return rows.map(mapRow);
  },

  async count(em: EntityManager, accountId: string, f: AlertFilter): Promise<number> {
    const w = where(f);
    const [r] = await em.execute(`select count(*)::int as n from ${T(em).alert} where ${w.sql.join(' and ')}`, [accountId, ...w.params]);
    return Number(r.n);
  },
};
