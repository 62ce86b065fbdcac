import type { EntityManager } from '@mikro-orm/postgresql';
import { readEntity, tablesOf } from '@cockpit/kit';
import { Allocation, BudgetBalance } from '../allocations/allocation.entity';
import type { NodeRef } from '../allocations/allocation.repository';
import type { ModelPriceAt } from '@cockpit/contracts';
import { BudgetPlan } from '../plans/plan.entity';
import { UsageRecord } from './usage.entity';

const T = (em: EntityManager) => tablesOf(em, { allocation: Allocation, balance: BudgetBalance, plan: BudgetPlan, usage: UsageRecord });

export interface NewUsage {
  id: string;
  accountId: string;
  idempotencyKey: string;
  domain: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cost: string;
  /** The catalog price `cost` was computed from; null when the caller gave the cost. */
  price: ModelPriceAt | null;
  userId: string | null;
  teamId: string | null;
  orgId: string | null;
  cycleStart: Date;
  recordedBy: string;
  createdAt: Date;
}

/** Why a level refused a debit: its bound and what it had used before this one. */
export interface Refusal {
  limit: string;
  used: string;
  remaining: string;
}

export const usageRepository = {
  /**
   * Raw SQL: inserts the record with `credits = cost × credit_factor` computed by PostgreSQL in numeric (the factor
   * read from the plan in the same statement), unless the key was used: null then. A competing insert of the same
   * key is waited for, so a repeat never debits twice.
   */
  async insertIfNew(em: EntityManager, u: NewUsage): Promise<UsageRecord | null> {
    const t = T(em);
    const [row] = await em.execute(
      `insert into ${t.usage} (id, account_id, idempotency_key, domain, model, input_tokens, output_tokens, cost, credit_factor, credits,
                               user_id, team_id, org_id, cycle_start, recorded_by, created_at,
                               price_model_id, price_input_per_mtok, price_output_per_mtok, price_valid_from)
       select ?, p.account_id, ?, ?, ?, ?, ?, ?::numeric, p.credit_factor, ?::numeric * p.credit_factor, ?, ?, ?, ?, ?, ?,
              ?::uuid, ?::numeric, ?::numeric, ?::timestamptz
         from ${t.plan} p where p.account_id = ?
       on conflict (account_id, idempotency_key) do nothing
       returning *`,
      [
        u.id,
        u.idempotencyKey,
        u.domain,
        u.model,
        u.inputTokens,
        u.outputTokens,
        u.cost,
        u.cost,
        u.userId,
        u.teamId,
        u.orgId,
        u.cycleStart,
        u.recordedBy,
        u.createdAt,
        u.price?.modelId ?? null,
        u.price?.inputPricePerMtok ?? null,
        u.price?.outputPricePerMtok ?? null,
        u.price?.validFrom ?? null,
        u.accountId,
      ],
    );
    return row ? readEntity(em, UsageRecord, row) : null;
  },

  byKey: (em: EntityManager, accountId: string, idempotencyKey: string) => em.findOne(UsageRecord, { accountId, idempotencyKey }),

  /**
   * Raw SQL (`insert … on conflict do update … where`): adds `credits` to one level's balance of the cycle only if it
   * stays within the bound — the row lock makes concurrent debits queue, and each re-checks against the total the
   * previous one left. A first row of the cycle takes its bound from the allocation (the account: monthly credits +
   * overflow; null: tracked, unbounded). Returns the refusal, or null when debited.
   */
  async debit(em: EntityManager, accountId: string, cycleStart: Date, level: NodeRef, credits: string, now: Date): Promise<Refusal | null> {
    const t = T(em);
    const bound =
      level.scopeType === 'ACCOUNT'
        ? `coalesce((select monthly_credits + overflow_limit from ${t.plan} where account_id = ?), 0)`
        : `(select amount from ${t.allocation} where account_id = ? and domain = 'COPILOT' and scope_type = ? and scope_id = ?)`;
    const boundParams = level.scopeType === 'ACCOUNT' ? [accountId] : [accountId, level.scopeType, level.scopeId];
    const [row] = await em.execute(
      `insert into ${t.balance} as b (account_id, domain, cycle_start, scope_type, scope_id, credit_limit, used, updated_at)
       values (?, 'COPILOT', ?, ?, ?, ${bound}, ?::numeric, ?)
       on conflict (account_id, domain, cycle_start, scope_type, scope_id)
       do update set used = b.used + excluded.used, updated_at = excluded.updated_at
         where b.credit_limit is null or b.used + excluded.used <= b.credit_limit
       returning (b.credit_limit is not null and b.used > b.credit_limit) as over`,
      [accountId, cycleStart, level.scopeType, level.scopeId, ...boundParams, credits, now],
    );
    if (row && !row.over) return null;
    // refused: the figures before this debit (a first row of the cycle already holds it)
    const [f] = await em.execute(
      `select credit_limit::text as "limit", (used - ?::numeric)::text as used, greatest(credit_limit - (used - ?::numeric), 0)::text as remaining
         from ${t.balance} where account_id = ? and domain = 'COPILOT' and cycle_start = ? and scope_type = ? and scope_id = ?`,
      [row ? credits : 0, row ? credits : 0, accountId, cycleStart, level.scopeType, level.scopeId],
    );
    return f as Refusal;
  },

  /**
   * Raw SQL (a VALUES list joined to the balances): the nearest of `levels` whose committed balance has no room for
   * `cost × credit factor`, or null. Read without locks: a denial here is a denial against the state committed at
   * this statement, so denied writers never queue for the balance rows; approvals are decided by `debit` alone.
   */
  async firstShort(em: EntityManager, accountId: string, cycleStart: Date, levels: readonly NodeRef[], cost: string) {
    const t = T(em);
    const rows = await em.execute(
      `with w(n, scope_type, scope_id) as (values ${levels.map((_, i) => `(${i}, ?::text, ?::uuid)`).join(', ')}),
            c as (select ?::numeric * credit_factor as credits from ${t.plan} where account_id = ?)
       select w.scope_type, w.scope_id, b.credit_limit::text as "limit", b.used::text as used,
              greatest(b.credit_limit - b.used, 0)::text as remaining, c.credits::text as credits
         from w join ${t.balance} b on b.account_id = ? and b.domain = 'COPILOT' and b.cycle_start = ?
                                   and b.scope_type = w.scope_type and b.scope_id = w.scope_id
        cross join c
        where b.credit_limit is not null and b.used + c.credits > b.credit_limit
        order by w.n limit 1`,
      [...levels.flatMap((l) => [l.scopeType, l.scopeId]), cost, accountId, accountId, cycleStart],
    );
    const r = rows[0] as
      { scope_type: NodeRef['scopeType']; scope_id: string; limit: string; used: string; remaining: string; credits: string } | undefined;
    return r
      ? {
          level: { scopeType: r.scope_type, scopeId: r.scope_id },
          refusal: { limit: r.limit, used: r.used, remaining: r.remaining },
          credits: r.credits,
        }
      : null;
  },

  /** The credits `cost` is worth under the account's plan, computed by PostgreSQL; null without a plan. */
  async creditsFor(em: EntityManager, accountId: string, cost: string): Promise<string | null> {
    const [row] = await em.execute(`select (?::numeric * credit_factor)::text as credits from ${T(em).plan} where account_id = ?`, [
      cost,
      accountId,
    ]);
    return row?.credits ?? null;
  },
};
