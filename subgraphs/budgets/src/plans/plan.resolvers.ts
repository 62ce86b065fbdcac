import { authorize, can, notFound, requireAccount, type RequestContext } from '@cockpit/kit';
import { planLoader, setPlan, type PlanInput } from './plan.service';

export const planResolvers = {
  Query: {
    budgetPlan: (_: unknown, __: unknown, ctx: RequestContext) => {
      const accountId = requireAccount(authorize(ctx.principal, 'budgetPlan.read'));
      return planLoader(ctx).load(accountId);
    },
  },
  Mutation: {
    setBudgetPlan: (_: unknown, { input }: { input: PlanInput }, ctx: RequestContext) => {
      const accountId = requireAccount(authorize(ctx.principal, 'budgetPlan.write'));
      return setPlan(ctx, accountId, input);
    },
  },
  Account: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    budgetPlan: (account: { id: string }, _: unknown, ctx: RequestContext) => {
      if (!can(ctx.principal, 'budgetPlan.read', { accountId: account.id })) throw notFound('Account');
      return planLoader(ctx).load(account.id);
    },
  },
};
