import { authorize, requireAccount } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { addAccountAdmin, changeAccountAdmin } from './account-admin.service';

export const accountAdminResolvers: Resolvers = {
  Mutation: {
    addAccountAdmin: (_, { input }, ctx) => {
      const accountId = requireAccount(authorize(ctx.principal, 'accountAdmin.write'));
      return addAccountAdmin(ctx, accountId, input);
    },
    setAccountAdminRole: (_, { input }, ctx) => {
      const accountId = requireAccount(authorize(ctx.principal, 'accountAdmin.write'));
      return changeAccountAdmin(ctx, accountId, input.id, input.role);
    },
    removeAccountAdmin: (_, { id }, ctx) => {
      const accountId = requireAccount(authorize(ctx.principal, 'accountAdmin.write'));
      return changeAccountAdmin(ctx, accountId, id, null);
    },
  },
};
