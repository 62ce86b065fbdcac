import type { Resolvers } from '../__generated__/resolvers-types';
import type { DirectoryClient } from '../directory/directory.client';
import { authorizeSpend, recordUsage, recordUsageBatch } from './usage.service';

export const usageResolvers = (directory: DirectoryClient): Resolvers => ({
  Query: {
    authorizeSpend: (_, { input }, ctx) => authorizeSpend(ctx, directory, ctx.account, input),
  },
  Mutation: {
    recordUsage: (_, { input }, ctx) => recordUsage(ctx, directory, ctx.account, input),
    recordUsageBatch: (_, { inputs }, ctx) => recordUsageBatch(ctx, directory, ctx.account, inputs),
  },
});
