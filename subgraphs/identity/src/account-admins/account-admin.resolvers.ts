import type { Resolvers } from '../__generated__/resolvers-types';
import { addAccountAdmin, changeAccountAdmin } from './account-admin.service';

export const accountAdminResolvers: Resolvers = {
  Mutation: {
    addAccountAdmin: (_, { input }, ctx) => addAccountAdmin(ctx, ctx.account, input),
    setAccountAdminRole: (_, { input }, ctx) => changeAccountAdmin(ctx, ctx.account, input.id, input.role),
    removeAccountAdmin: (_, { id }, ctx) => changeAccountAdmin(ctx, ctx.account, id, null),
  },
};
