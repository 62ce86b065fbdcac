import { authorize, pageSize, type ConnectionArgs, type Principal, type RequestContext } from '@cockpit/kit';
import { userLoader } from '../directory/directory.loaders';
import type { ApiKey } from './api-key.entity';
import { createApiKey, getApiKey, listApiKeys, revokeApiKey, type CreateApiKeyInput } from './api-key.service';

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

export const apiKeyResolvers = {
  Query: {
    apiKeys: (_: unknown, args: ConnectionArgs, ctx: RequestContext) =>
      listApiKeys(ctx, keyOwner(ctx.principal, false), pageSize(args.first), args.after),
    apiKey: (_: unknown, { id }: { id: string }, ctx: RequestContext) => getApiKey(ctx, keyOwner(ctx.principal, false), id),
  },
  Mutation: {
    createApiKey: (_: unknown, { input }: { input: CreateApiKeyInput }, ctx: RequestContext) =>
      createApiKey(ctx, keyOwner(ctx.principal, true), input),
    revokeApiKey: (_: unknown, { id }: { id: string }, ctx: RequestContext) => revokeApiKey(ctx, keyOwner(ctx.principal, true), id),
  },
  ApiKey: {
    // the key was already read under the request's tenant scope; its user is in the same account
    user: (key: ApiKey, _: unknown, ctx: RequestContext) => (key.userId ? userLoader(ctx).load(key.userId) : null),
  },
};
