import { isUuid, notFound, validationError, type RequestContext } from '@cockpit/kit';
import { Model } from '../models/model.entity';
import { changeEligibility, eligibleModelIds, eligibleModelsOf, lockEligibility } from './eligibility.repository';

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
    await lockEligibility(em, accountId);
    const models = wanted.length ? await em.find(Model, { id: { $in: wanted } }) : [];
    const found = new Map(models.map((m) => [m.id, m]));
    const missing = wanted.find((id) => !found.has(id));
    if (missing !== undefined) throw notFound(`Model ${missing}`);

    const had = new Set(await eligibleModelIds(em, accountId));
    const added = wanted.filter((id) => !had.has(id));
    const removed = [...had].filter((id) => !found.has(id));
    const deprecated = added.filter((id) => found.get(id)!.status === 'DEPRECATED');
    if (deprecated.length) throw validationError({ modelIds: `deprecated models cannot be made eligible: ${deprecated.join(', ')}` });

    await changeEligibility(em, accountId, added, removed);
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
 * Batched: the same two queries for every account asked about in this request. A
 * super admin may look at any account, so the query runs in platform scope for
 * them; everyone else stays confined by RLS to their own account.
 */
export function eligibleModelsLoader(ctx: RequestContext) {
  return ctx.loader<string, Model[]>('eligibleModelsByAccount', async (accountIds) => {
    const ids = accountIds.filter(isUuid);
    if (ids.length === 0) return accountIds.map(() => []);
    const scope = ctx.principal.superAdmin ? ctx.actingAs({ accountId: ctx.accountId, platform: true }) : ctx;
    const byAccount = await scope.read((em) => eligibleModelsOf(em, ids));
    return accountIds.map((id) => byAccount.get(id) ?? []);
  });
}
