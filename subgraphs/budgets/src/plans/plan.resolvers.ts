import { accountReference, can, notFound } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { planLoader, setPlan } from './plan.service';

export const planResolvers: Resolvers = {
  Query: {
    budgetPlan: (_, __, ctx) => planLoader(ctx).load(ctx.account),
  },
  Mutation: {
    setBudgetPlan: (_, { input }, ctx) => setPlan(ctx, ctx.account, input),
  },
  Account: {
    __resolveReference: accountReference,
    budgetPlan: (account, _, ctx) => {
      if (!can(ctx.principal, 'budgetPlan.read', { accountId: account.id })) throw notFound('Account');
      return planLoader(ctx).load(account.id);
    },
  },
};
