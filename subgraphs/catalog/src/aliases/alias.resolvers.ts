import type { Resolvers } from '../__generated__/resolvers-types';
import { removeModelAlias, setModelAlias } from './alias.service';

export const aliasResolvers: Resolvers = {
  Mutation: {
    setModelAlias: (_, { alias, modelId }, ctx) => setModelAlias(ctx, ctx.account, alias, modelId),
    removeModelAlias: (_, { alias }, ctx) => removeModelAlias(ctx, ctx.account, alias),
  },
};
