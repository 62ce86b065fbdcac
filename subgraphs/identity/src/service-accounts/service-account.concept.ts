import { defineConcept, defineEvents } from '@cockpit/kit';
import { ServiceAccount } from './service-account.entity';
import { serviceAccountResolvers } from './service-account.resolvers';

/** Service accounts: platform-level principals with one scoped key each. */
export const serviceAccounts = defineConcept({
  name: 'serviceAccounts',
  entities: [ServiceAccount],
  resolvers: serviceAccountResolvers,
  events: defineEvents({
    'service_account.created': { subject: 'ServiceAccount', domain: 'PLATFORM', payload: ['name', 'scopes', 'apiKeyId', 'prefix'] },
    'service_account.disabled': { subject: 'ServiceAccount', domain: 'PLATFORM', payload: ['name', 'revokedApiKeyIds'] },
  }),
});
