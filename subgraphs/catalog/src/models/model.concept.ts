import { defineConcept, defineEvents } from '@cockpit/kit';
import { Model, ModelPrice } from './model.entity';
import { modelResolvers } from './model.resolvers';

/** The platform's model catalog (CA1): super admins write it, on the platform chain. */
export const models = defineConcept({
  name: 'models',
  entities: [Model, ModelPrice],
  resolvers: modelResolvers,
  events: defineEvents({
    'model.created': { subject: 'Model', domain: 'PLATFORM', payload: ['after'] },
    'model.updated': { subject: 'Model', domain: 'PLATFORM', payload: ['before', 'after'] },
  }),
});
