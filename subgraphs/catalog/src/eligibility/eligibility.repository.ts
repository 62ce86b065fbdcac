import type { EntityManager } from '@mikro-orm/postgresql';
import { anyUuid, readRows, rowMapper, tablesOf } from '@cockpit/kit';
import { Model } from '../models/model.entity';
import { AccountModelEligibility } from './eligibility.entity';

/** Serialises concurrent replacements of one account's set until the transaction ends (raw SQL: the ORM has no advisory locks). */
export async function lockEligibility(em: EntityManager, accountId: string): Promise<void> {
  await em.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`catalog.eligibility:${accountId}`]);
}

/** The ids of the models the account may use now. */
export async function eligibleModelIds(em: EntityManager, accountId: string): Promise<string[]> {
  const rows = await em.find(AccountModelEligibility, { accountId }, { fields: ['modelId'] });
  return rows.map((r) => r.modelId);
}

/** Adds and removes models from the account's set. */
export async function changeEligibility(em: EntityManager, accountId: string, added: string[], removed: string[]): Promise<void> {
  if (removed.length) await em.nativeDelete(AccountModelEligibility, { accountId, modelId: { $in: removed } });
  if (added.length) {
    const now = new Date();
    await em.insertMany(
      AccountModelEligibility,
      added.map((modelId) => ({ accountId, modelId, createdAt: now })),
    );
  }
}

/**
 * The eligible models of each account, by name: one statement whatever the number of accounts (raw SQL:
 * the eligibility rows joined to their models, which the entities declare no relation for).
 */
export async function eligibleModelsOf(em: EntityManager, accountIds: string[]): Promise<Map<string, Model[]>> {
  const byAccount = new Map<string, Model[]>(accountIds.map((id) => [id, []]));
  const T = tablesOf(em, { eligibility: AccountModelEligibility, model: Model });
  const rows = await readRows(
    em,
    `select m.*, e.account_id as eligible_account_id from ${T.eligibility} e join ${T.model} m on m.id = e.model_id
      where ${anyUuid('e.account_id')} order by m.name, e.account_id`,
    [accountIds],
  );
  const toModel = rowMapper(em, Model);
  for (const { eligible_account_id, ...row } of rows) byAccount.get(eligible_account_id as string)?.push(toModel(row));
  return byAccount;
}
