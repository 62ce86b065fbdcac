import { authorize, notFound, pageSize, requireAccount, type ConnectionArgs, type RequestContext } from '@cockpit/kit';
import { adminsLoader } from '../account-admins/account-admin.service';
import type { DirectoryDomain } from '../directory/directory.entity';
import { orgsOfAccount } from '../directory/directory.loaders';
import { authorizeOn, requireUuid } from '../shared/access';
import type { Account } from './account.entity';
import { accountLoader, createAccount, listAccounts, type CreateAccountInput } from './account.service';

/** The account if this principal may read it; NOT_FOUND for one that is missing or another tenant's. */
async function readableAccount(ctx: RequestContext, id: string): Promise<Account> {
  authorizeOn(ctx.principal, 'account.read', requireUuid(id, 'Account'), 'Account');
  const account = await accountLoader(ctx).load(id.toLowerCase());
  if (!account) throw notFound('Account');
  return account;
}

export const accountResolvers = {
  Query: {
    account: (_: unknown, __: unknown, ctx: RequestContext) => {
      const accountId = requireAccount(authorize(ctx.principal, 'account.read'));
      return readableAccount(ctx, accountId);
    },
    accounts: (_: unknown, args: ConnectionArgs, ctx: RequestContext) => {
      authorize(ctx.principal, 'account.list');
      return listAccounts(ctx, pageSize(args.first), args.after);
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
