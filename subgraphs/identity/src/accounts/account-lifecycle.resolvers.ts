import { authorize, requireAccount, type RequestContext } from '@cockpit/kit';
import { DELETE, REACTIVATE, SUSPEND, transitionAccount, updateAccount, type UpdateAccountInput } from './account-lifecycle.service';

/** Super admins only ('account.update'); each write runs in platform scope on the account it names. */
function transition(t: typeof SUSPEND) {
  return (_: unknown, { id }: { id: string }, ctx: RequestContext) => {
    authorize(ctx.principal, 'account.update');
    return transitionAccount(ctx, id, t);
  };
}

export const accountLifecycleResolvers = {
  Mutation: {
    /** `id` omitted: the account the request acts on (X-Account-Id). */
    updateAccount: (_: unknown, { id, input }: { id?: string | null; input: UpdateAccountInput }, ctx: RequestContext) => {
      const p = authorize(ctx.principal, 'account.update');
      return updateAccount(ctx, id ?? requireAccount(p), input);
    },
    suspendAccount: transition(SUSPEND),
    reactivateAccount: transition(REACTIVATE),
    deleteAccount: transition(DELETE),
  },
};
