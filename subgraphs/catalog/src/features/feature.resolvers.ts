import { can, forbidden, invalidRequest, notFound, type RequestContext } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { directoryUserLoader } from '../directory/directory.client';
import { effectiveFeaturesLoader, featurePackLoader, type EffectiveFeatures } from './feature.effective';
import {
  clearFeatureEntitlement,
  createFeature,
  featureByKeyLoader,
  listFeatureEntitlements,
  listFeatures,
  setFeatureEntitlement,
  setFeaturePack,
  updateFeature,
} from './feature.service';

/** A user's effective features on the account (either directory tree), or null for a user identity does not know there. */
async function effectiveOfUser(ctx: RequestContext, accountId: string, userId: string): Promise<EffectiveFeatures | null> {
  const user = await directoryUserLoader(ctx, accountId).load(userId);
  if (!user) return null;
  return effectiveFeaturesLoader(ctx, accountId).load({ userId: user.id, teamIds: user.teamIds, orgIds: user.orgIds });
}

export const featureResolvers: Resolvers = {
  Query: {
    features: (_, args, ctx) => listFeatures(ctx, args),
    feature: async (_, { key }, ctx) => {
      const feature = await featureByKeyLoader(ctx).load(key);
      if (!feature) throw notFound('Feature');
      return feature;
    },
    featureEntitlements: (_, __, ctx) => listFeatureEntitlements(ctx, ctx.account),
    effectiveFeatures: (_, __, ctx) => {
      const p = ctx.principal;
      return effectiveFeaturesLoader(ctx, ctx.account).load({ userId: p.userId ?? null, teamIds: p.teamIds, orgIds: p.orgIds });
    },
    effectiveFeaturesOf: async (_, { userId }, ctx) => {
      const set = await effectiveOfUser(ctx, ctx.account, userId);
      if (!set) throw notFound('User');
      return set;
    },
  },
  Mutation: {
    createFeature: (_, { input }, ctx) => createFeature(ctx, input),
    updateFeature: (_, { key, input }, ctx) => updateFeature(ctx, key, input),
    setFeaturePack: (_, { featureKeys }, ctx) => setFeaturePack(ctx, ctx.account, featureKeys),
    setFeatureEntitlement: (_, { scope, featureKey, enabled }, ctx) => setFeatureEntitlement(ctx, ctx.account, scope, featureKey, enabled),
    clearFeatureEntitlement: (_, { scope, featureKey }, ctx) => clearFeatureEntitlement(ctx, ctx.account, scope, featureKey),
  },
  Account: {
    featurePack: (account, _, ctx) => {
      if (!can(ctx.principal, 'entitlement.read', { accountId: account.id })) throw notFound('Account');
      return featurePackLoader(ctx).load(account.id);
    },
  },
  User: {
    effectiveFeatures: (user, _, ctx) => {
      const accountId = ctx.principal.accountId;
      if (!accountId) throw invalidRequest('Account context required: send the X-Account-Id header');
      if (!can(ctx.principal, 'featureSelection.read', { accountId })) throw forbidden('Not allowed to featureSelection.read');
      return effectiveOfUser(ctx, accountId, user.id);
    },
  },
  EffectiveFeatures: {
    enabledKeys: (set) => set.features.filter((f) => f.enabled).map((f) => f.feature.key),
  },
  FeatureEntitlement: {
    feature: async (e, _, ctx) => (await featureByKeyLoader(ctx).load(e.featureKey))!, // a foreign key: always there
    inPack: async (e, _, ctx) => (await featurePackLoader(ctx).load(e.accountId)).some((f) => f.key === e.featureKey),
  },
};
