import type { Resolvers } from '../__generated__/resolvers-types';
import type { DirectoryClient } from '../directory/directory.client';
import type { PriceClient } from './usage.pricing';
import { authorizeSpend, recordUsage, recordUsageBatch } from './usage.service';

export const usageResolvers = (directory: DirectoryClient, prices: PriceClient): Resolvers => ({
  Query: {
    authorizeSpend: (_, { input }, ctx) => authorizeSpend(ctx, directory, ctx.account, input),
  },
  Mutation: {
    recordUsage: (_, { input }, ctx) => recordUsage(ctx, directory, prices, ctx.account, input),
    recordUsageBatch: (_, { inputs }, ctx) => recordUsageBatch(ctx, directory, prices, ctx.account, inputs),
  },
  UsageRecord: {
    price: (r) =>
      r.priceModelId
        ? {
            modelId: r.priceModelId,
            inputPricePerMtok: r.priceInputPerMtok!,
            outputPricePerMtok: r.priceOutputPerMtok!,
            validFrom: r.priceValidFrom!,
          }
        : null,
  },
});
