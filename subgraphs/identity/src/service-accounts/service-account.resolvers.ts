import type { Resolvers } from '../__generated__/resolvers-types';
import { createServiceAccount, disableServiceAccount, listServiceAccounts } from './service-account.service';

/** Service accounts are platform-level: super admins only, with or without X-Account-Id. */
export const serviceAccountResolvers: Resolvers = {
  Query: {
    serviceAccounts: (_, args, ctx) => listServiceAccounts(ctx, args),
  },
  Mutation: {
    createServiceAccount: (_, { input }, ctx) => createServiceAccount(ctx, input),
    disableServiceAccount: (_, { id }, ctx) => disableServiceAccount(ctx, id),
  },
};
