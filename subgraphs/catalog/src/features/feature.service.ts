import {
  notFound,
  PLATFORM_ACCOUNT_ID,
  paginate,
  uniqueOrConflict,
  validationError,
  type Connection,
  changedFields,
  type ConnectionArgs,
  type FieldDetails,
  type RequestContext,
} from '@cockpit/kit';
import type { FilterQuery } from '@mikro-orm/postgresql';
import type { GrantScopeType } from '../grants/grant.entity';
import { checkScope, type GrantScopeInput } from '../grants/grant.service';
import { Feature, FeatureEntitlement, type FeatureStatus } from './feature.entity';
import { featureRepository } from './feature.repository';

export interface CreateFeatureInput {
  key: string;
  name: string;
  description?: string | null;
  status: FeatureStatus;
}
export interface UpdateFeatureInput {
  name?: string | null;
  description?: string | null;
  status?: FeatureStatus | null;
}

const KEY_RE = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const FIELDS = ['name', 'description', 'status'] as const;
const snapshot = (f: Feature) => ({ key: f.key, name: f.name, description: f.description, status: f.status });

function validate(input: { key?: string; name?: string | null; description?: string | null }): void {
  const details: FieldDetails = {};
  if (input.key !== undefined && !KEY_RE.test(input.key))
    details.key = 'must be a lowercase slug (a-z, 0-9, ".", "_", "-"), at most 100 characters';
  if (input.name != null && (input.name.trim().length === 0 || input.name.length > 200)) details.name = 'must be 1 to 200 characters';
  if (input.description != null && input.description.length > 2000) details.description = 'must be at most 2000 characters';
  if (Object.keys(details).length) throw validationError(details);
}

/** Adds a feature to the platform catalog (super admin) and records `feature.created` on the platform chain. */
export function createFeature(ctx: RequestContext, input: CreateFeatureInput): Promise<Feature> {
  validate(input);
  return uniqueOrConflict(
    () =>
      ctx.write(async ({ em, audit }) => {
        const now = new Date();
        const feature = em.create(Feature, {
          key: input.key,
          name: input.name.trim(),
          description: input.description ?? '',
          status: input.status,
          createdAt: now,
          updatedAt: now,
        });
        await em.flush();
        await audit({
          accountId: PLATFORM_ACCOUNT_ID,
          domain: 'PLATFORM',
          type: 'feature.created',
          subject: { type: 'Feature', id: feature.key },
          payload: { after: snapshot(feature) },
        });
        return feature;
      }),
    `A feature "${input.key}" already exists`,
    { key: 'already taken' },
  );
}

/** Changes the given fields of a catalog feature (super admin); the event carries only what changed. */
export function updateFeature(ctx: RequestContext, key: string, input: UpdateFeatureInput): Promise<Feature> {
  const details: FieldDetails = {};
  for (const f of ['name', 'status'] as const) if (input[f] === null) details[f] = 'must not be null';
  if (Object.keys(details).length) throw validationError(details);
  validate(input);
  return ctx.write(async ({ em, audit, unchanged }) => {
    const feature = KEY_RE.test(key) ? await featureRepository.lock(em, key) : null;
    if (!feature) throw notFound('Feature');
    const next = {
      name: input.name?.trim() ?? feature.name,
      description: input.description === undefined ? feature.description : (input.description ?? ''),
      status: input.status ?? feature.status,
    };
    const changed = changedFields(feature, next, FIELDS);
    if (!changed) return unchanged(feature);
    em.assign(feature, { ...next, updatedAt: new Date() });
    await em.flush();
    await audit({
      accountId: PLATFORM_ACCOUNT_ID,
      domain: 'PLATFORM',
      type: 'feature.updated',
      subject: { type: 'Feature', id: feature.key },
      payload: changed,
    });
    return feature;
  });
}

/** Keyset page of the catalog's features by key; the count runs only if asked. */
export function listFeatures(
  ctx: RequestContext,
  args: ConnectionArgs & { filter?: { status?: FeatureStatus | null } | null },
): Promise<Connection<Feature>> {
  const where: FilterQuery<Feature> = {};
  if (args.filter?.status != null) where.status = args.filter.status;
  return paginate(args, {
    rows: ({ after, take }) => ctx.read((em) => featureRepository.after(em, where, after, take)),
    key: (f) => f.key,
    count: () => ctx.read((em) => featureRepository.count(em, where)),
    cursor: (k) => KEY_RE.test(k),
  });
}

/** Batched feature lookups by key: one statement per batch. */
export function featureByKeyLoader(ctx: RequestContext) {
  return ctx.loader<string, Feature | null>('featureByKey', async (keys) => {
    const valid = [...new Set(keys.filter((k) => KEY_RE.test(k)))];
    const rows = valid.length ? await ctx.read((em) => featureRepository.byKeys(em, valid)) : [];
    const byKey = new Map(rows.map((f) => [f.key, f]));
    return keys.map((k) => byKey.get(k) ?? null);
  });
}

/** The catalog features by key, NOT_FOUND naming the first unknown one. */
async function known(em: Parameters<typeof featureRepository.byKeys>[0], keys: string[]): Promise<Map<string, Feature>> {
  const bad = keys.find((k) => !KEY_RE.test(k));
  if (bad !== undefined) throw notFound(`Feature ${bad}`);
  const found = new Map((keys.length ? await featureRepository.byKeys(em, keys) : []).map((f) => [f.key, f]));
  const missing = keys.find((k) => !found.has(k));
  if (missing !== undefined) throw notFound(`Feature ${missing}`);
  return found;
}

/**
 * Replaces the feature pack of the account named by X-Account-Id (CA9, super admin) and records
 * `account.feature_pack.set` with what was added and removed, in one transaction. A deprecated
 * feature may stay but may not be newly added. A feature taken out leaves every effective set at once.
 */
export async function setFeaturePack(ctx: RequestContext, accountId: string, featureKeys: readonly string[]): Promise<Feature[]> {
  const wanted = [...new Set(featureKeys.map((k) => k.trim().toLowerCase()))];
  return ctx.write(async ({ em, audit, unchanged }) => {
    await featureRepository.lockPack(em, accountId);
    const found = await known(em, wanted);
    const had = new Set(await featureRepository.packKeys(em, accountId));
    const added = wanted.filter((k) => !had.has(k));
    const removed = [...had].filter((k) => !found.has(k));
    const deprecated = added.filter((k) => found.get(k)!.status === 'DEPRECATED');
    if (deprecated.length)
      throw validationError({ featureKeys: `deprecated features cannot be added to a pack: ${deprecated.join(', ')}` });
    const pack = [...found.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
    if (!added.length && !removed.length) return unchanged(pack);
    await featureRepository.changePack(em, accountId, added, removed);
    await audit({
      accountId,
      type: 'account.feature_pack.set',
      subject: { type: 'Account', id: accountId },
      payload: { added, removed },
    });
    return pack;
  });
}

/**
 * Sets one scope's explicit on/off for one feature (CA9, account admin) and records
 * `feature_entitlement.set`, in one transaction. The scope is the account or an org, team or user of
 * either directory tree; unknown feature → NOT_FOUND; a feature outside the account's pack → VALIDATION_ERROR.
 */
export async function setFeatureEntitlement(
  ctx: RequestContext,
  accountId: string,
  scopeIn: GrantScopeInput,
  featureKeyIn: string,
  enabled: boolean,
): Promise<FeatureEntitlement> {
  const featureKey = featureKeyIn.trim().toLowerCase();
  if (!KEY_RE.test(featureKey)) throw notFound(`Feature ${featureKeyIn}`);
  const scope = await checkScope(ctx, accountId, scopeIn, null);
  return ctx.write(async ({ em, audit, unchanged }) => {
    // the pack lock: a concurrent withdrawal cannot slip between the check and the entitlement
    await featureRepository.lockPack(em, accountId);
    await known(em, [featureKey]);
    if (!(await featureRepository.packKeys(em, accountId)).includes(featureKey))
      throw validationError({ featureKey: `"${featureKey}" is not in the account's feature pack` });
    const existing = await featureRepository.entitlement(em, accountId, scope.id, featureKey);
    if (existing && existing.enabled === enabled) return unchanged(existing);
    const before = existing ? existing.enabled : null;
    const now = new Date();
    let row: FeatureEntitlement;
    if (existing) {
      existing.enabled = enabled;
      existing.updatedAt = now;
      row = existing;
    } else
      row = em.create(FeatureEntitlement, { accountId, scopeId: scope.id, scopeType: scope.type, featureKey, enabled, updatedAt: now });
    await em.flush();
    await audit({
      type: 'feature_entitlement.set',
      subject: { type: 'FeatureEntitlement', id: `${scope.id}:${featureKey}` },
      payload: { scopeType: scope.type, scopeId: scope.id, featureKey, before, after: enabled },
    });
    return row;
  });
}

/** Removes a scope's explicit entitlement for a feature so it inherits again; false (and no event) when it had none. */
export async function clearFeatureEntitlement(
  ctx: RequestContext,
  accountId: string,
  scopeIn: GrantScopeInput,
  featureKeyIn: string,
): Promise<boolean> {
  const featureKey = featureKeyIn.trim().toLowerCase();
  if (!KEY_RE.test(featureKey)) throw notFound(`Feature ${featureKeyIn}`);
  const scope = await checkScope(ctx, accountId, scopeIn, null);
  return ctx.write(async ({ em, audit, unchanged }) => {
    await known(em, [featureKey]);
    const existing = await featureRepository.entitlement(em, accountId, scope.id, featureKey);
    if (!existing) return unchanged(false);
    await featureRepository.removeEntitlement(em, accountId, scope.id, featureKey);
    await audit({
      type: 'feature_entitlement.cleared',
      subject: { type: 'FeatureEntitlement', id: `${scope.id}:${featureKey}` },
      payload: { scopeType: scope.type, scopeId: scope.id, featureKey, before: existing.enabled },
    });
    return true;
  });
}

/** The account's explicit entitlements: the account's, then orgs', teams' and users', by scope then feature. */
export async function listFeatureEntitlements(ctx: RequestContext, accountId: string): Promise<FeatureEntitlement[]> {
  const order: Record<GrantScopeType, number> = { ACCOUNT: 0, ORG: 1, TEAM: 2, USER: 3 };
  const rows = await ctx.read((em) => featureRepository.entitlementsOfAccount(em, accountId));
  return rows.sort(
    (a, b) =>
      order[a.scopeType] - order[b.scopeType] ||
      (a.scopeId < b.scopeId ? -1 : a.scopeId > b.scopeId ? 1 : 0) ||
      (a.featureKey < b.featureKey ? -1 : 1),
  );
}
