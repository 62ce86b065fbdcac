import { defineConcept, defineEvents } from '@cockpit/kit';
import { AccountFeaturePack, Feature, FeatureEntitlement } from './feature.entity';
import { featureResolvers } from './feature.resolvers';

/** Feature entitlements (CA9): the platform catalog, the pack per account (super admin), entitlements per scope (admins). */
export const features = defineConcept({
  name: 'features',
  entities: [Feature, AccountFeaturePack, FeatureEntitlement],
  resolvers: featureResolvers,
  events: defineEvents({
    'feature.created': { subject: 'Feature', domain: 'PLATFORM', payload: ['after'] },
    'feature.updated': { subject: 'Feature', domain: 'PLATFORM', payload: ['before', 'after'] },
    'account.feature_pack.set': { subject: 'Account', payload: ['added', 'removed'] },
    'feature_entitlement.set': { subject: 'FeatureEntitlement', payload: ['scopeType', 'scopeId', 'featureKey', 'before', 'after'] },
    'feature_entitlement.cleared': { subject: 'FeatureEntitlement', payload: ['scopeType', 'scopeId', 'featureKey', 'before'] },
  }),
});
