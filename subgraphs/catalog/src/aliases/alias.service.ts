import { isUuid, notFound, validationError, type RequestContext } from '@cockpit/kit';
import { eligibleModelIds, lockEligibility } from '../eligibility/eligibility.repository';
import { Model } from '../models/model.entity';
import { ModelAlias } from './alias.entity';

const ALIAS_RE = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/**
 * Points an account-level alias at an eligible model (CA5), creating or moving it, and records
 * `model_alias.set`. VALIDATION_ERROR for a bad slug, a name a catalog model already has, or a
 * model outside the account's eligible set; NOT_FOUND for an unknown model.
 */
export async function setModelAlias(ctx: RequestContext, accountId: string, aliasIn: string, modelIdIn: string): Promise<ModelAlias> {
  const alias = aliasIn.trim().toLowerCase();
  if (!ALIAS_RE.test(alias)) throw validationError({ alias: 'must be a lowercase slug (a-z, 0-9, ".", "_", "-"), at most 100 characters' });
  if (!isUuid(modelIdIn)) throw notFound('Model');
  const modelId = modelIdIn.toLowerCase();
  return ctx.write(async ({ em, audit, unchanged }) => {
    await lockEligibility(em, accountId);
    const [model, clash] = await Promise.all([em.findOne(Model, { id: modelId }), em.findOne(Model, { name: alias })]);
    if (!model) throw notFound('Model');
    if (clash) throw validationError({ alias: `is the name of catalog model ${clash.name}` });
    if (!(await eligibleModelIds(em, accountId)).includes(modelId)) throw validationError({ modelId: 'is not eligible for this account' });
    const existing = await em.findOne(ModelAlias, { accountId, alias });
    if (existing?.modelId === modelId) return unchanged(existing);
    const now = new Date();
    const before = existing?.modelId ?? null;
    const row = existing ?? em.create(ModelAlias, { accountId, alias, modelId, createdAt: now, updatedAt: now });
    row.modelId = modelId;
    row.updatedAt = now;
    await em.flush();
    await audit({ type: 'model_alias.set', subject: { type: 'ModelAlias', id: alias }, payload: { before, after: modelId } });
    return row;
  });
}

/** Removes an alias; false (and no event) when the account has none by that name. */
export async function removeModelAlias(ctx: RequestContext, accountId: string, aliasIn: string): Promise<boolean> {
  const alias = aliasIn.trim().toLowerCase();
  return ctx.write(async ({ em, audit, unchanged }) => {
    const existing = await em.findOne(ModelAlias, { accountId, alias });
    if (!existing) return unchanged(false);
    await em.nativeDelete(ModelAlias, { accountId, alias });
    await audit({ type: 'model_alias.removed', subject: { type: 'ModelAlias', id: alias }, payload: { before: existing.modelId } });
    return true;
  });
}
