import { defineConcept, defineEvents } from '@cockpit/kit';
import { Account } from './account.entity';
import { accountResolvers } from './account.resolvers';
import { accountLifecycleResolvers } from './account-lifecycle.resolvers';
import { accountRoutes } from './account.routes';

const lifecycle = { subject: 'Account', domain: 'PLATFORM', payload: ['before', 'after'] } as const;

/** Accounts (ID1, ID6): created and managed by super admins on the platform chain. */
export const accounts = defineConcept({
  name: 'accounts',
  entities: [Account],
  resolvers: accountResolvers,
  routes: accountRoutes,
  events: defineEvents({
    'account.created': { subject: 'Account', domain: 'PLATFORM', payload: ['name', 'emailDomain', 'planTier', 'defaultOrgId'] },
    'account.updated': { subject: 'Account', domain: 'PLATFORM', payload: ['changes'] },
    'account.suspended': lifecycle,
    'account.reactivated': lifecycle,
    'account.deleted': lifecycle,
  }),
});

/** Account lifecycle (ID6): update, suspend, reactivate, delete. */
export const accountLifecycle = defineConcept({ name: 'accountLifecycle', resolvers: accountLifecycleResolvers });
