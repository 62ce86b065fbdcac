import { notFound } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { createProvider, listProviders, providerLoader, updateProvider } from './provider.service';

export const providerResolvers: Resolvers = {
  Query: {
    providers: (_, args, ctx) => listProviders(ctx, args),
    provider: async (_, { id }, ctx) => {
      const provider = await providerLoader(ctx).load(id);
      if (!provider) throw notFound('Provider');
      return provider;
    },
  },
  Mutation: {
    createProvider: (_, { input }, ctx) => createProvider(ctx, input),
    updateProvider: (_, { id, input }, ctx) => updateProvider(ctx, id, input),
  },
};
