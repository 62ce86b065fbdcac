import { authorize, pageSize, type ConnectionArgs, type RequestContext } from '@cockpit/kit';
import {
  createServiceAccount,
  disableServiceAccount,
  listServiceAccounts,
  type CreateServiceAccountInput,
} from './service-account.service';

/** Service accounts are platform-level: super admins only, with or without X-Account-Id. */
export const serviceAccountResolvers = {
  Query: {
    serviceAccounts: (_: unknown, args: ConnectionArgs, ctx: RequestContext) => {
      authorize(ctx.principal, 'platformApiKey.read');
      return listServiceAccounts(ctx, pageSize(args.first), args.after);
    },
  },
  Mutation: {
    createServiceAccount: (_: unknown, { input }: { input: CreateServiceAccountInput }, ctx: RequestContext) => {
      authorize(ctx.principal, 'platformApiKey.write');
      return createServiceAccount(ctx, input);
    },
    disableServiceAccount: (_: unknown, { id }: { id: string }, ctx: RequestContext) => {
      authorize(ctx.principal, 'platformApiKey.write');
      return disableServiceAccount(ctx, id);
    },
  },
};
