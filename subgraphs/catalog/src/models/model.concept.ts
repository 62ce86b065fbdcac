import { defineConcept, defineEvents } from '@cockpit/kit';
import { modelPricesRoutes } from './model-prices.routes';
import { Model, ModelPrice } from './model.entity';
import { modelResolvers } from './model.resolvers';

/** The platform's model catalog (CA1): super admins write it, on the platform chain; budgets asks it prices (BU5). */
export const models = defineConcept({
  name: 'models',
  entities: [Model, ModelPrice],
  resolvers: modelResolvers,
  // budgets' price lookups for usage recorded without a cost (BU5)
  routes: modelPricesRoutes,
  events: defineEvents({
    'model.created': { subject: 'Model', domain: 'PLATFORM', payload: ['after'] },
    'model.updated': { subject: 'Model', domain: 'PLATFORM', payload: ['before', 'after'] },
  }),
});
