import { defineConcept, defineEvents } from '@cockpit/kit';
import { ConsoleModelGrant, ConsoleModelPolicy } from './console.entity';
import { consoleResolvers } from './console.resolvers';

/** Console (BYOK) model governance, apart from Copilot's (CA4): the super admin's policy per account, admins' grants per CONSOLE scope. */
export const consoleModels = defineConcept({
  name: 'consoleModels',
  entities: [ConsoleModelPolicy, ConsoleModelGrant],
  resolvers: consoleResolvers,
  events: defineEvents({
    'account.console_model_policy.set': { subject: 'Account', domain: 'CONSOLE', payload: ['added', 'removed'] },
    'console_model_grant.set': { subject: 'ConsoleModelGrant', domain: 'CONSOLE', payload: ['scopeType', 'before', 'after'] },
    'console_model_grant.cleared': { subject: 'ConsoleModelGrant', domain: 'CONSOLE', payload: ['scopeType', 'before'] },
  }),
});
