import type { RequestContext } from '@cockpit/kit';
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
  return (_, { id }, ctx) => transitionAccount(ctx, id, t);
}

export const accountLifecycleResolvers: Resolvers = {
  Mutation: {
    /** `id` omitted: the account the request acts on (X-Account-Id). */
    updateAccount: (_, { id, input }, ctx) => updateAccount(ctx, id ?? ctx.account, input),
    suspendAccount: transition(SUSPEND),
    reactivateAccount: transition(REACTIVATE),
    deleteAccount: transition(DELETE),
  },
};
