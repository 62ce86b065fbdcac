import type { EntityManager } from '@mikro-orm/postgresql';
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

/** The eligible models of each account, by name: two queries whatever the number of accounts. */
export async function eligibleModelsOf(em: EntityManager, accountIds: string[]): Promise<Map<string, Model[]>> {
  const byAccount = new Map<string, Model[]>(accountIds.map((id) => [id, []]));
  const rows = await em.find(AccountModelEligibility, { accountId: { $in: accountIds } });
  if (rows.length === 0) return byAccount;
  const models = await em.find(Model, { id: { $in: [...new Set(rows.map((r) => r.modelId))] } }, { orderBy: { name: 'asc' } });
  const accountsOf = new Map<string, string[]>();
  for (const r of rows) accountsOf.set(r.modelId, [...(accountsOf.get(r.modelId) ?? []), r.accountId]);
  for (const m of models) for (const a of accountsOf.get(m.id) ?? []) byAccount.get(a)!.push(m);
  return byAccount;
}
