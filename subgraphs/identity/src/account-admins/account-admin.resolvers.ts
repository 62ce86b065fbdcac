import { authorize, requireAccount, type RequestContext } from '@cockpit/kit';
import type { AccountRole } from '@cockpit/kit';
import { addAccountAdmin, changeAccountAdmin, type AddAccountAdminInput } from './account-admin.service';

export const accountAdminResolvers = {
  Mutation: {
    addAccountAdmin: (_: unknown, { input }: { input: AddAccountAdminInput }, ctx: RequestContext) => {
      const accountId = requireAccount(authorize(ctx.principal, 'accountAdmin.write'));
      return addAccountAdmin(ctx, accountId, input);
    },
    setAccountAdminRole: (_: unknown, { input }: { input: { id: string; role: AccountRole } }, ctx: RequestContext) => {
      const accountId = requireAccount(authorize(ctx.principal, 'accountAdmin.write'));
      return changeAccountAdmin(ctx, accountId, input.id, input.role);
    },
    removeAccountAdmin: (_: unknown, { id }: { id: string }, ctx: RequestContext) => {
      const accountId = requireAccount(authorize(ctx.principal, 'accountAdmin.write'));
      return changeAccountAdmin(ctx, accountId, id, null);
    },
  },
};
