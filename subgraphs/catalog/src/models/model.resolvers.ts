import { notFound } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { providerLoader } from '../providers/provider.service';
import { createModel, listModels, modelLoader, priceAt, pricesLoader, updateModel } from './model.service';

export const modelResolvers: Resolvers = {
  Query: {
    models: (_, args, ctx) => listModels(ctx, args),
    model: async (_, { id }, ctx) => {
      const model = await modelLoader(ctx).load(id);
      if (!model) throw notFound('Model');
      return model;
    },
  },
  Mutation: {
    createModel: (_, { input }, ctx) => createModel(ctx, input),
    updateModel: (_, { id, input }, ctx) => updateModel(ctx, id, input),
  },
  Model: {
    isMedia: (m) => m.kind !== 'CHAT',
    provider: async (m, _, ctx) => (await providerLoader(ctx).load(m.providerId))!, // a foreign key: always there
    prices: (m, _, ctx) => pricesLoader(ctx).load(m.id),
    priceAt: (m, { at }, ctx) => priceAt(ctx, m, new Date(at)),
  },
};
