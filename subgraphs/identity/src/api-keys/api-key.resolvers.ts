import { authorize, pageSize, type Principal } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { userLoader } from '../directory/directory.loaders';
import { createApiKey, getApiKey, listApiKeys, revokeApiKey } from './api-key.service';

/**
 * Whose keys the request handles: the account it acts on, or (super admin
 * without X-Account-Id) the platform's, which only super admins may see or touch.
 */
function keyOwner(p: Principal, write: boolean): string | null {
  if (p.accountId) {
    authorize(p, write ? 'apiKey.write' : 'apiKey.read');
    return p.accountId;
  }
  authorize(p, 'platformApiKey.write');
  return null;
}

export const apiKeyResolvers: Resolvers = {
  Query: {
    apiKeys: (_, args, ctx) => listApiKeys(ctx, keyOwner(ctx.principal, false), pageSize(args.first), args.after),
    apiKey: (_, { id }, ctx) => getApiKey(ctx, keyOwner(ctx.principal, false), id),
  },
  Mutation: {
    createApiKey: (_, { input }, ctx) => createApiKey(ctx, keyOwner(ctx.principal, true), input),
    revokeApiKey: (_, { id }, ctx) => revokeApiKey(ctx, keyOwner(ctx.principal, true), id),
  },
  ApiKey: {
    // the key was already read under the request's tenant scope; its user is in the same account
    user: (key, _, ctx) => (key.userId ? userLoader(ctx).load(key.userId) : null),
  },
};
