import { defineConcept, defineEvents } from '@cockpit/kit';
import { AccountAdmin } from './account-admin.entity';
import { accountAdminResolvers } from './account-admin.resolvers';

const admin = { subject: 'AccountAdmin', domain: 'PLATFORM', payload: ['email', 'before', 'after'] } as const;

/** An account's admins and their roles (ID2). */
export const accountAdmins = defineConcept({
  name: 'accountAdmins',
  entities: [AccountAdmin],
  resolvers: accountAdminResolvers,
  events: defineEvents({
    'account_admin.added': { subject: 'AccountAdmin', domain: 'PLATFORM', payload: ['email', 'role'] },
    'account_admin.role_changed': admin,
    'account_admin.removed': admin,
  }),
});
