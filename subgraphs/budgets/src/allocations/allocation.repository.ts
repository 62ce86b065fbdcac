import type { EntityManager } from '@mikro-orm/postgresql';
import { tablesOf } from '@cockpit/kit';
import { BudgetPlan } from '../plans/plan.entity';
import { UsageRecord } from '../usage/usage.entity';
import { Allocation, BudgetBalance, type AllocationScope, type ChainLevel } from './allocation.entity';

const T = (em: EntityManager) => tablesOf(em, { allocation: Allocation, balance: BudgetBalance, plan: BudgetPlan, usage: UsageRecord });

export interface NodeRef {
  scopeType: ChainLevel;
  scopeId: string;
}

/** A node's figures in one cycle, exact decimal strings computed by PostgreSQL. */
export interface NodeFigures extends NodeRef {
  accountId: string;
  /** The explicit allocation (the account: monthly credits); null without one. */
  allocated: string | null;
  /** allocated − the allocations placed directly beneath (negative: over-allocated). */
  unallocated: string | null;
  used: string;
  /** The bound (the account: monthly credits + overflow); null when unbounded. */
  limit: string | null;
  remaining: string | null;
  /** The cycle these figures are of (null: the account has no plan). */
  cycleStart: Date | null;
}

const values = (nodes: readonly NodeRef[]) => nodes.map((_, i) => `(${i}, ?::text, ?::uuid)`).join(', ');
const valueParams = (nodes: readonly NodeRef[]) => nodes.flatMap((n) => [n.scopeType, n.scopeId]);

export const allocationRepository = {
  /** Raw SQL (advisory lock): one allocation write per account at a time, so the children-never-exceed check sees every sibling. */
  lockAccount: (em: EntityManager, accountId: string) =>
    em.execute(`select pg_advisory_xact_lock(hashtextextended('budgets.allocation:' || ?, 0))`, [accountId]),

  find: (em: EntityManager, accountId: string, scopeType: AllocationScope, scopeId: string) =>
    em.findOne(Allocation, { accountId, domain: 'COPILOT', scopeType, scopeId }),

  /** Deletes a node's explicit allocation; the number of rows removed (0: it had none). */
  remove: (em: EntityManager, accountId: string, scopeType: AllocationScope, scopeId: string) =>
    em.nativeDelete(Allocation, { accountId, domain: 'COPILOT', scopeType, scopeId }),

  /** Creates or replaces a node's allocation (its directory place refreshed). */
  async upsert(
    em: EntityManager,
    row: {
      accountId: string;
      scopeType: AllocationScope;
      scopeId: string;
      amount: string;
      orgId: string | null;
      teamId: string | null;
      override: boolean;
    },
    now: Date,
  ) {
    await em
      .createQueryBuilder(Allocation)
      .insert({ ...row, domain: 'COPILOT', createdAt: now, updatedAt: now })
      .onConflict(['accountId', 'domain', 'scopeType', 'scopeId'])
      .merge(['amount', 'orgId', 'teamId', 'override', 'updatedAt'])
      .execute('run');
  },

  /**
   * Raw SQL: sets the bound of a level's balance in this cycle, creating the row when the cycle has none yet, so a
   * usage write racing this one either waits for it (same primary key) or is waited for.
   */
  setBalanceLimit: (em: EntityManager, accountId: string, cycleStart: Date, node: NodeRef, limit: string | null, now: Date) =>
    em.execute(
      `insert into ${T(em).balance} as b (account_id, domain, cycle_start, scope_type, scope_id, credit_limit, used, updated_at)
       values (?, 'COPILOT', ?, ?, ?, ?::numeric, 0, ?)
       on conflict (account_id, domain, cycle_start, scope_type, scope_id) do update set credit_limit = excluded.credit_limit, updated_at = excluded.updated_at`,
      [accountId, cycleStart, node.scopeType, node.scopeId, limit, now],
    ),

  /**
   * Raw SQL (a CTE placing every allocation under its nearest allocated ancestor, sums grouped by that parent):
   * the figures of `nodes` in one statement. A user sits under its allocated team, else the team's allocated org,
   * else the account; a team under its allocated org, else the account; an org under the account.
   */
  async figures(em: EntityManager, accountId: string, cycleStart: Date | null, nodes: readonly NodeRef[]): Promise<NodeFigures[]> {
    if (!nodes.length) return [];
    const t = T(em);
    const rows = await em.execute(
      `with a as (select scope_type, scope_id, amount, org_id, team_id from ${t.allocation} where account_id = ? and domain = 'COPILOT'),
       placed as (
         select a.amount,
           case when tp.scope_id is not null then 'TEAM' when op.scope_id is not null then 'ORG' else 'ACCOUNT' end as parent_type,
           coalesce(tp.scope_id, op.scope_id, ?::uuid) as parent_id
         from a
         left join a tp on a.scope_type = 'USER' and tp.scope_type = 'TEAM' and tp.scope_id = a.team_id
         left join a op on a.scope_type <> 'ORG' and op.scope_type = 'ORG' and op.scope_id = a.org_id
       ),
       pl as (select monthly_credits, overflow_limit from ${t.plan} where account_id = ?),
       w(n, scope_type, scope_id) as (values ${values(nodes)}),
       f as (
         select w.n, w.scope_type, w.scope_id,
           case when w.scope_type = 'ACCOUNT' then coalesce((select monthly_credits from pl), 0) else own.amount end as allocated,
           case when w.scope_type = 'ACCOUNT' then coalesce((select monthly_credits + overflow_limit from pl), 0) else own.amount end as bound,
           coalesce((select sum(p.amount) from placed p where p.parent_type = w.scope_type and p.parent_id = w.scope_id), 0) as children,
           coalesce(b.used, 0) as used
         from w
         left join a own on own.scope_type = w.scope_type and own.scope_id = w.scope_id
         left join ${t.balance} b on b.account_id = ? and b.domain = 'COPILOT' and b.cycle_start = ?
                                 and b.scope_type = w.scope_type and b.scope_id = w.scope_id
       )
       select n, scope_type, scope_id, allocated::text, (allocated - children)::text as unallocated, used::text,
              bound::text as "limit", greatest(bound - used, 0)::text as remaining
         from f order by n`,
      [accountId, accountId, accountId, ...valueParams(nodes), accountId, cycleStart ?? new Date(0)],
    );
    return rows.map((r: any) => ({
      accountId,
      scopeType: r.scope_type,
      scopeId: r.scope_id,
      allocated: r.allocated,
      unallocated: r.allocated === null ? null : r.unallocated,
      used: r.used,
      limit: r.limit,
      remaining: r.limit === null ? null : r.remaining,
      cycleStart,
    }));
  },
};
