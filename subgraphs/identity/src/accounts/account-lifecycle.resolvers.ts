import { authorize, requireAccount, type RequestContext } from '@cockpit/kit';
import type {
  MutationSuspendAccountArgs,
  Resolvers,
  ResolverFn,
  ResolversParentTypes,
  ResolversTypes,
} from '../__generated__/resolvers-types';
import { DELETE, REACTIVATE, SUSPEND, transitionAccount, updateAccount } from './account-lifecycle.service';

/** Super admins only ('account.update'); each write runs in platform scope on the account it names. */
function transition(
  t: typeof SUSPEND,
): ResolverFn<ResolversTypes['Account'], ResolversParentTypes['Mutation'], RequestContext, MutationSuspendAccountArgs> {
  return (_, { id }, ctx) => {
    authorize(ctx.principal, 'account.update');
    return transitionAccount(ctx, id, t);
  };
}

export const accountLifecycleResolvers: Resolvers = {
  Mutation: {
    /** `id` omitted: the account the request acts on (X-Account-Id). */
    updateAccount: (_, { id, input }, ctx) => {
      const p = authorize(ctx.principal, 'account.update');
      return updateAccount(ctx, id ?? requireAccount(p), input);
    },
    suspendAccount: transition(SUSPEND),
    reactivateAccount: transition(REACTIVATE),
    deleteAccount: transition(DELETE),
  },
};
