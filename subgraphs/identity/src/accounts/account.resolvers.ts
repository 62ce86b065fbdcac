import { authorize, notFound, pageSize, requireAccount, type ConnectionArgs, type RequestContext } from '@cockpit/kit';
import { adminsLoader } from '../account-admins/account-admin.service';
import type { DirectoryDomain } from '../directory/directory.entity';
import { orgsOfAccount } from '../directory/directory.loaders';
import { authorizeOn, requireUuid } from '../shared/access';
import type { Account } from './account.entity';
import { listAccounts, type AccountFilter } from './account-lifecycle.service';
import { accountLoader, createAccount, type CreateAccountInput } from './account.service';

/**
 * The account if this principal may read it; NOT_FOUND for one that is missing or
 * another tenant's, and for a deleted one unless the caller is a super admin.
 */
async function readableAccount(ctx: RequestContext, id: string): Promise<Account> {
  authorizeOn(ctx.principal, 'account.read', requireUuid(id, 'Account'), 'Account');
  const account = await accountLoader(ctx).load(id.toLowerCase());
  if (!account || (account.status === 'DELETED' && !ctx.principal.superAdmin)) throw notFound('Account');
  return account;
}

export const accountResolvers = {
  Query: {
    account: (_: unknown, __: unknown, ctx: RequestContext) => {
      const accountId = requireAccount(authorize(ctx.principal, 'account.read'));
      return readableAccount(ctx, accountId);
    },
    accounts: (_: unknown, args: ConnectionArgs & { filter?: AccountFilter | null }, ctx: RequestContext) => {
      authorize(ctx.principal, 'account.list');
      return listAccounts(ctx, pageSize(args.first), args.after, args.filter);
    },
  },
  Mutation: {
    createAccount: (_: unknown, { input }: { input: CreateAccountInput }, ctx: RequestContext) => {
      authorize(ctx.principal, 'account.create');
      return createAccount(ctx, input);
    },
  },
  Account: {
    __resolveReference: (ref: { id: string }, ctx: RequestContext) => readableAccount(ctx, ref.id),
    orgs: (account: Account, args: ConnectionArgs & { domain?: DirectoryDomain | null }, ctx: RequestContext) => {
      authorizeOn(ctx.principal, 'directory.read', account.id, 'Account');
      return orgsOfAccount(ctx, args.domain).connection(account.id, args);
    },
    admins: (account: Account, _: unknown, ctx: RequestContext) => {
      authorizeOn(ctx.principal, 'accountAdmin.read', account.id, 'Account');
      return adminsLoader(ctx).load(account.id);
    },
  },
};
