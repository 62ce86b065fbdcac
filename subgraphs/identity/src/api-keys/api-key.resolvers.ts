import type { Resolvers } from '../__generated__/resolvers-types';
import { userLoader } from '../directory/directory.loaders';
import { createApiKey, getApiKey, listApiKeys, revokeApiKey } from './api-key.service';

// Whose keys a field handles (ctx.accountId): the account it acts on, or null — the platform's keys,
// for a super admin without X-Account-Id (scope ACCOUNT_OR_PLATFORM, platformApiKey.* in the SDL).
export const apiKeyResolvers: Resolvers = {
  Query: {
    apiKeys: (_, args, ctx) => listApiKeys(ctx, ctx.accountId, args),
    apiKey: (_, { id }, ctx) => getApiKey(ctx, ctx.accountId, id),
  },
  Mutation: {
    createApiKey: (_, { input }, ctx) => createApiKey(ctx, ctx.accountId, input),
    revokeApiKey: (_, { id }, ctx) => revokeApiKey(ctx, ctx.accountId, id),
  },
  ApiKey: {
    // the key was already read under the request's tenant scope; its user is in the same account
    user: (key, _, ctx) => (key.userId ? userLoader(ctx).load(key.userId) : null),
  },
};
