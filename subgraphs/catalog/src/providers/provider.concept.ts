import { defineConcept, defineEvents } from '@cockpit/kit';
import { Provider } from './provider.entity';
import { providerResolvers } from './provider.resolvers';

/** The vendors serving catalog models (CA1): super admins write them, on the platform chain. */
export const providers = defineConcept({
  name: 'providers',
  entities: [Provider],
  resolvers: providerResolvers,
  events: defineEvents({
    'provider.created': { subject: 'Provider', domain: 'PLATFORM', payload: ['after'] },
    'provider.updated': { subject: 'Provider', domain: 'PLATFORM', payload: ['before', 'after'] },
  }),
});
