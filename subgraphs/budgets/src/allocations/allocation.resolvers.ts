import { notFound } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { userChain } from '../directory/chain';
import type { DirectoryClient } from '../directory/directory.client';
import { allocateCredits, budgetNode, distributeEqually, effectiveAllocation } from './allocation.service';

export const allocationResolvers = (directory: DirectoryClient): Resolvers => ({
  Query: {
    budgetNode: (_, { scopeType, scopeId }, ctx) => budgetNode(ctx, directory, ctx.account, scopeType, scopeId),
    effectiveAllocation: async (_, { userId, teamId }, ctx) =>
      effectiveAllocation(ctx, ctx.account, await userChain(ctx, directory, ctx.account, userId, teamId)),
    myEffectiveAllocation: async (_, { teamId }, ctx) => {
      // the directory user the gateway resolved from the login or the user-bound key
      if (!ctx.principal.userId || ctx.principal.accountId !== ctx.account) throw notFound('User');
      return effectiveAllocation(ctx, ctx.account, await userChain(ctx, directory, ctx.account, ctx.principal.userId, teamId));
    },
  },
  Mutation: {
    allocateCredits: (_, { input }, ctx) => allocateCredits(ctx, directory, ctx.account, input),
    setAllocationOverride: (_, { input }, ctx) =>
      allocateCredits(ctx, directory, ctx.account, { ...input, scopeType: 'USER', scopeId: input.userId }, { override: input.override }),
    distributeCreditsEqually: (_, { input }, ctx) => distributeEqually(ctx, directory, ctx.account, input),
  },
});
