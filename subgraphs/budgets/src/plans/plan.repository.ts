import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { anyUuid, selectEntities, tableOf } from '@cockpit/kit';
import { BudgetPlan } from './plan.entity';

/** What a plan is set to: the amounts (exact decimal strings) and the cycle. */
export interface PlanInput {
  monthlyCredits: string;
  overflowLimit: string;
  creditFactor: string;
  cycle: 'MONTHLY' | 'QUARTERLY' | 'YEARLY';
}

/**
 * Inserts the account's plan unless it has one; true when this call inserted it.
 * `on conflict do nothing` waits for a competing insert to commit instead of failing on it.
 */
export async function insertPlanIfAbsent(em: EntityManager, accountId: string, values: PlanInput, now: Date): Promise<boolean> {
  const res = await em
    .createQueryBuilder(BudgetPlan)
    .insert({ accountId, ...values, cycleAnchor: now, createdAt: now, updatedAt: now })
    .onConflict('accountId')
    .ignore()
    .execute('run');
  return res.affectedRows > 0;
}

/** The account's plan, locked for the rest of the transaction. */
export const lockPlan = (em: EntityManager, accountId: string): Promise<BudgetPlan> =>
  em.findOneOrFail(BudgetPlan, { accountId }, { lockMode: LockMode.PESSIMISTIC_WRITE });

/** The plans of these accounts (those that have one). Prebuilt SQL, rows mapped without the ORM's hydration (the dashboard's read path). */
export const plansOf = (em: EntityManager, accountIds: readonly string[]): Promise<BudgetPlan[]> =>
  selectEntities(em, BudgetPlan, `select * from ${tableOf(em, BudgetPlan)} where ${anyUuid('account_id')}`, [[...accountIds]]);
