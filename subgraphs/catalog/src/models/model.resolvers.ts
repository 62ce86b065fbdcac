import { authorize, notFound } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { createModel, listModels, modelLoader, updateModel } from './model.service';

export const modelResolvers: Resolvers = {
  Query: {
    models: (_, args, ctx) => {
      authorize(ctx.principal, 'catalog.read');
      return listModels(ctx, args);
    },
    model: async (_, { id }, ctx) => {
      authorize(ctx.principal, 'catalog.read');
      const model = await modelLoader(ctx).load(id);
      if (!model) throw notFound('Model');
      return model;
    },
  },
  Mutation: {
    createModel: (_, { input }, ctx) => {
      authorize(ctx.principal, 'catalog.write');
      return createModel(ctx, input);
    },
    updateModel: (_, { id, input }, ctx) => {
      authorize(ctx.principal, 'catalog.write');
      return updateModel(ctx, id, input);
    },
  },
  Model: {
    isMedia: (m) => m.kind !== 'CHAT',
  },
};
