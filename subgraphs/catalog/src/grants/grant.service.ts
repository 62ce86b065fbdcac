import { isUuid, notFound, validationError, type RequestContext } from '@cockpit/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { DirectoryDomainName } from '@cockpit/contracts';
import { directoryScopesOf } from '../directory/directory.client';
import { eligibleModelIds, lockEligibility } from '../eligibility/eligibility.repository';
import { Model } from '../models/model.entity';
import { ModelGrant, type GrantScopeType } from './grant.entity';
import { grantRepository } from './grant.repository';

export interface GrantScopeInput {
  type: GrantScopeType;
  id?: string | null;
}

const NAMES: Record<Exclude<GrantScopeType, 'ACCOUNT'>, string> = { ORG: 'Org', TEAM: 'Team', USER: 'User' };

/**
 * The scope a grant is for, checked against identity's directory before any transaction
 * opens: ACCOUNT is the acting account (its id may be omitted); an org, team or user must
 * exist in the account (NOT_FOUND otherwise, another account's id included) and belong to
 * the tree asked for: COPILOT for model grants (Console grants are governed apart), CONSOLE for
 * console grants, either (null) for feature entitlements.
 */
export async function checkScope(
  ctx: RequestContext,
  accountId: string,
  scope: GrantScopeInput,
  domain: DirectoryDomainName | null = 'COPILOT',
): Promise<{ type: GrantScopeType; id: string }> {
  if (scope.type === 'ACCOUNT') {
    if (scope.id != null && scope.id.toLowerCase() !== accountId) throw notFound('Account');
    return { type: 'ACCOUNT', id: accountId };
  }
  if (scope.id == null) throw validationError({ 'scope.id': `is required for ${scope.type}` });
  const name = NAMES[scope.type];
  if (!isUuid(scope.id)) throw notFound(name);
  const id = scope.id.toLowerCase();
  const found = await directoryScopesOf(ctx, accountId, {
    orgIds: scope.type === 'ORG' ? [id] : [],
    teamIds: scope.type === 'TEAM' ? [id] : [],
    userIds: scope.type === 'USER' ? [id] : [],
  });
  const hit = [...found.orgs, ...found.teams, ...found.users].find((s) => s.id === id);
  if (!hit) throw notFound(name);
  if (domain === 'COPILOT' && hit.domain !== 'COPILOT')
    throw validationError({ 'scope.id': `is in the ${hit.domain} directory; Copilot model grants apply to the COPILOT tree` });
  if (domain === 'CONSOLE' && hit.domain !== 'CONSOLE')
    throw validationError({ 'scope.id': `is in the ${hit.domain} directory; console model grants apply to the CONSOLE tree` });
  return { type: scope.type, id };
}

/** The models by id, NOT_FOUND naming the first unknown one; VALIDATION_ERROR for any the account may not use. */
async function eligibleOnly(em: EntityManager, accountId: string, ids: string[]): Promise<Model[]> {
  const models = ids.length ? await em.find(Model, { id: { $in: ids } }) : [];
  const found = new Set(models.map((m) => m.id));
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) throw notFound(`Model ${missing}`);
  const eligible = new Set(await eligibleModelIds(em, accountId));
  const outside = models.filter((m) => !eligible.has(m.id)).map((m) => m.name);
  if (outside.length) throw validationError({ modelIds: `not eligible for this account: ${outside.sort().join(', ')}` });
  return models;
}

/**
 * Replaces the explicit grant of one scope (CA3) and records `model_grant.set`, in one
 * transaction. An empty list is an explicit grant of nothing (the scope sees no model);
 * `clearModelGrant` makes the scope inherit again. Unknown model → NOT_FOUND; a model
 * outside the account's eligible set → VALIDATION_ERROR.
 */
export async function setModelGrant(
  ctx: RequestContext,
  accountId: string,
  scopeIn: GrantScopeInput,
  modelIds: readonly string[],
): Promise<ModelGrant> {
  const wanted = [...new Set(modelIds.map((id) => id.toLowerCase()))];
  const malformed = wanted.find((id) => !isUuid(id));
  if (malformed !== undefined) throw notFound(`Model ${malformed}`);
  const scope = await checkScope(ctx, accountId, scopeIn);
  return ctx.write(async ({ em, audit, unchanged }) => {
    // the eligibility lock: a concurrent withdrawal cannot slip between the check and the grant
    await lockEligibility(em, accountId);
    await eligibleOnly(em, accountId, wanted);
    const existing = await grantRepository.find(em, accountId, scope.id);
    const sorted = [...wanted].sort();
    const before = existing ? [...existing.modelIds].sort() : null;
    if (existing && before!.join() === sorted.join()) return unchanged(existing);
    const now = new Date();
    let grant: ModelGrant;
    if (existing) {
      existing.modelIds = sorted;
      existing.updatedAt = now;
      grant = existing;
    } else grant = em.create(ModelGrant, { accountId, scopeId: scope.id, scopeType: scope.type, modelIds: sorted, updatedAt: now });
    await em.flush();
    await audit({
      type: 'model_grant.set',
      subject: { type: 'ModelGrant', id: scope.id },
      payload: { scopeType: scope.type, before, after: sorted },
    });
    return grant;
  });
}

/** Removes a scope's explicit grant, so it inherits again; false (and no event) when it had none. */
export async function clearModelGrant(ctx: RequestContext, accountId: string, scopeIn: GrantScopeInput): Promise<boolean> {
  const scope = await checkScope(ctx, accountId, scopeIn);
  return ctx.write(async ({ em, audit, unchanged }) => {
    const existing = await grantRepository.find(em, accountId, scope.id);
    if (!existing) return unchanged(false);
    await grantRepository.remove(em, accountId, scope.id);
    await audit({
      type: 'model_grant.cleared',
      subject: { type: 'ModelGrant', id: scope.id },
      payload: { scopeType: scope.type, before: [...existing.modelIds].sort() },
    });
    return true;
  });
}

/** The account's explicit grants, account first, then orgs, teams and users. */
export async function listModelGrants(ctx: RequestContext, accountId: string): Promise<ModelGrant[]> {
  const order: Record<GrantScopeType, number> = { ACCOUNT: 0, ORG: 1, TEAM: 2, USER: 3 };
  const grants = await ctx.read((em) => grantRepository.ofAccount(em, accountId));
  return grants.sort((a, b) => order[a.scopeType] - order[b.scopeType] || (a.scopeId < b.scopeId ? -1 : 1));
}

/** The explicit grant of each scope id (null: it inherits), in the request's tenant scope: one statement per batch. */
export function grantByScopeLoader(ctx: RequestContext, accountId: string) {
  return ctx.loader<string, ModelGrant | null>(`grantByScope:${accountId}`, async (ids) => {
    const valid = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
    const rows = valid.length ? await ctx.read((em) => grantRepository.ofScopes(em, accountId, valid)) : [];
    const byId = new Map(rows.map((g) => [g.scopeId, g]));
    return ids.map((id) => (isUuid(id) ? (byId.get(id.toLowerCase()) ?? null) : null));
  });
}
