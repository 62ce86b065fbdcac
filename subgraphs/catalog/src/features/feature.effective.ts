import { isUuid, type RequestContext } from '@cockpit/kit';
import { subjectKey, type Subject } from '../grants/effective';
import type { GrantScopeType } from '../grants/grant.entity';
import type { Feature, FeatureEntitlement } from './feature.entity';
import { featureRepository } from './feature.repository';

/** One explicit entitlement on the way to a user's answer for a feature, narrowest first. */
export interface FeatureStep {
  scopeType: GrantScopeType;
  scopeId: string;
  enabled: boolean;
}

export interface EffectiveFeature {
  feature: Feature;
  enabled: boolean;
  /** The narrowest level with an explicit entitlement for the feature; PACK when none has one. */
  decidedBy: GrantScopeType | 'PACK';
  /** Every explicit entitlement of the subject's scopes for the feature, narrowest level first. */
  chain: FeatureStep[];
}

export interface EffectiveFeatures {
  features: EffectiveFeature[];
}

/**
 * The effective features (CA9), per feature of the account's pack: the narrowest level with an
 * explicit entitlement decides — the user's own, else their teams' (enabled if any team enables
 * it), else their orgs' (likewise), else the account's — and with none the pack's feature is
 * enabled. Never outside the pack: entitlements of features taken out of it are ignored (and count
 * again if the feature comes back).
 */
export function resolveFeatures(pack: Feature[], entitlements: FeatureEntitlement[], accountId: string, s: Subject): EffectiveFeatures {
  const levels: [GrantScopeType, readonly string[]][] = [
    ['USER', s.userId ? [s.userId] : []],
    ['TEAM', s.teamIds],
    ['ORG', s.orgIds],
    ['ACCOUNT', [accountId]],
  ];
  const byFeature = new Map<string, FeatureEntitlement[]>();
  for (const e of entitlements) byFeature.set(e.featureKey, [...(byFeature.get(e.featureKey) ?? []), e]);
  const features = pack.map((feature): EffectiveFeature => {
    const mine = byFeature.get(feature.key) ?? [];
    const chain: FeatureStep[] = [];
    let decided: { type: GrantScopeType; enabled: boolean } | null = null;
    for (const [type, ids] of levels) {
      const found = mine.filter((e) => e.scopeType === type && ids.includes(e.scopeId)).sort((a, b) => (a.scopeId < b.scopeId ? -1 : 1));
      chain.push(...found.map((e) => ({ scopeType: type, scopeId: e.scopeId, enabled: e.enabled })));
      if (found.length && !decided) decided = { type, enabled: found.some((e) => e.enabled) };
    }
    return { feature, enabled: decided?.enabled ?? true, decidedBy: decided?.type ?? 'PACK', chain };
  });
  return { features };
}

/** Each account's pack features, by key: one statement per request (platform scope for a super admin looking at any account). */
export function featurePackLoader(ctx: RequestContext) {
  return ctx.loader<string, Feature[]>('featurePackByAccount', async (accountIds) => {
    const ids = accountIds.filter(isUuid);
    if (ids.length === 0) return accountIds.map(() => []);
    const scope = ctx.principal.superAdmin ? ctx.actingAs({ accountId: ctx.accountId, platform: true }) : ctx;
    const byAccount = await scope.read((em) => featureRepository.packsOf(em, ids));
    return accountIds.map((id) => byAccount.get(id) ?? []);
  });
}

/**
 * The effective features of many subjects of one account, batched: one statement for their
 * entitlements and one for the pack, whatever the number of subjects.
 */
export function effectiveFeaturesLoader(ctx: RequestContext, accountId: string) {
  return ctx.loader<Subject, EffectiveFeatures, string>(
    `effectiveFeatures:${accountId}`,
    async (subjects) => {
      const scopeIds = new Set<string>([accountId]);
      for (const s of subjects)
        for (const id of [s.userId, ...s.teamIds, ...s.orgIds]) if (id && isUuid(id)) scopeIds.add(id.toLowerCase());
      const [entitlements, pack] = await Promise.all([
        ctx.read((em) => featureRepository.entitlementsOfScopes(em, accountId, [...scopeIds])),
        featurePackLoader(ctx).load(accountId),
      ]);
      return subjects.map((s) => resolveFeatures(pack, entitlements, accountId, s));
    },
    { cacheKeyFn: subjectKey },
  );
}
