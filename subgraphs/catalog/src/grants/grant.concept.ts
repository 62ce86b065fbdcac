import { defineConcept, defineEvents } from '@cockpit/kit';
import { ModelGrant } from './grant.entity';
import { grantResolvers } from './grant.resolvers';

/** Account admins' model grants per scope and the effective sets they make (CA3). */
export const grants = defineConcept({
  name: 'grants',
  entities: [ModelGrant],
  resolvers: grantResolvers,
  events: defineEvents({
    'model_grant.set': { subject: 'ModelGrant', payload: ['scopeType', 'before', 'after'] },
    'model_grant.cleared': { subject: 'ModelGrant', payload: ['scopeType', 'before'] },
  }),
});
