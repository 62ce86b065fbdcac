import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid, notFound, validationError, type RequestContext } from '@cockpit/kit';
import { Model } from '../models/model.entity';
import { AccountModelEligibility } from './eligibility.entity';

const byName = (a: Model, b: Model) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Replaces an account's eligible set and records `account.eligible_models.set`
 * with what was added and removed, in one transaction. A deprecated model may
 * stay eligible but may not be newly granted.
 */
export async function setEligibleModels(ctx: RequestContext, accountId: string, modelIds: readonly string[]): Promise<Model[]> {
  const wanted = [...new Set(modelIds)];
  const malformed = wanted.find((id) => !isUuid(id));
  if (malformed !== undefined) throw notFound(`Model ${malformed}`);
  return ctx.write(async ({ em, audit }) => {
    // serialises concurrent replacements of one account's set, so {added, removed} is exact
    await em.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`catalog.eligibility:${accountId}`]);
    const models = wanted.length ? await em.find(Model, { id: { $in: wanted } }) : [];
    const found = new Map(models.map((m) => [m.id, m]));
    const missing = wanted.find((id) => !found.has(id));
    if (missing !== undefined) throw notFound(`Model ${missing}`);

    const current = await em.find(AccountModelEligibility, { accountId }, { fields: ['modelId'] });
    const had = new Set(current.map((r) => r.modelId));
    const added = wanted.filter((id) => !had.has(id));
    const removed = [...had].filter((id) => !found.has(id));
    const deprecated = added.filter((id) => found.get(id)!.status === 'DEPRECATED');
    if (deprecated.length) throw validationError({ modelIds: `deprecated models cannot be made eligible: ${deprecated.join(', ')}` });

    if (removed.length) await em.nativeDelete(AccountModelEligibility, { accountId, modelId: { $in: removed } });
    if (added.length) {
      const now = new Date();
      await em.insertMany(
        AccountModelEligibility,
        added.map((modelId) => ({ accountId, modelId, createdAt: now })),
      );
    }
    await audit({
      accountId,
      type: 'account.eligible_models.set',
      subject: { type: 'Account', id: accountId },
      payload: { added, removed },
    });
    return models.sort(byName);
  });
}

/**
 * Batched: one joined query for every account asked about in this request. A
 * super admin may look at any account, so the query runs in platform scope for
 * them; everyone else stays confined by RLS to their own account.
 */
export function eligibleModelsLoader(ctx: RequestContext) {
  return ctx.loader<string, Model[]>('eligibleModelsByAccount', async (accountIds) => {
    const ids = accountIds.filter(isUuid);
    const byAccount = new Map<string, Model[]>(accountIds.map((id) => [id, []]));
    if (ids.length === 0) return accountIds.map(() => []);
    const load = async (em: EntityManager) => {
      const rows: Record<string, unknown>[] = await em.execute(
        `select e.account_id as eligible_account_id, m.*
           from "catalog"."account_model_eligibility" e
           join "catalog"."model" m on m.id = e.model_id
          where e.account_id in (?)
          order by m.name`,
        // em.execute expands an array parameter into a list (`in ('a', 'b')`), never into a pg array
        [ids],
      );
      for (const { eligible_account_id, ...row } of rows) byAccount.get(eligible_account_id as string)!.push(em.map(Model, row));
    };
    await (ctx.principal.superAdmin ? ctx.actingAs({ accountId: ctx.accountId, platform: true }) : ctx).read(load);
    return accountIds.map((id) => byAccount.get(id)!);
  });
}
