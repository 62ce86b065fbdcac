import type { Resolvers } from '../__generated__/resolvers-types';
import { budgetCycles } from './cycle.service';

export const cycleResolvers: Resolvers = {
  Query: {
    budgetCycles: (_, args, ctx) => budgetCycles(ctx, ctx.account, args),
  },
};
