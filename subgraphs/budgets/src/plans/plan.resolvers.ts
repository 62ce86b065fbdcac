import { authorize, can, notFound, requireAccount } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { planLoader, setPlan } from './plan.service';

export const planResolvers: Resolvers = {
  Query: {
    budgetPlan: (_, __, ctx) => {
      const accountId = requireAccount(authorize(ctx.principal, 'budgetPlan.read'));
      return planLoader(ctx).load(accountId);
    },
  },
  Mutation: {
    setBudgetPlan: (_, { input }, ctx) => {
      const accountId = requireAccount(authorize(ctx.principal, 'budgetPlan.write'));
      return setPlan(ctx, accountId, input);
    },
  },
  Account: {
    __resolveReference: (ref) => ({ id: ref.id }),
    budgetPlan: (account, _, ctx) => {
      if (!can(ctx.principal, 'budgetPlan.read', { accountId: account.id })) throw notFound('Account');
      return planLoader(ctx).load(account.id);
    },
  },
};
