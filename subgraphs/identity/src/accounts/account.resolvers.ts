import { authorizeOn, can, entityReference, notFound, requireUuid, type RequestContext } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { adminsLoader } from '../account-admins/account-admin.service';
import { orgsOfAccount, userLoader } from '../directory/directory.loaders';
import type { Account } from './account.entity';
import { listAccounts } from './account-lifecycle.service';
import { accountLoader, createAccount } from './account.service';

/** A deleted account is shown to super admins only. */
const shown = (ctx: RequestContext, account: Account | null) =>
  account && (account.status !== 'DELETED' || ctx.principal.superAdmin) ? account : null;

/**
 * The account if this principal may read it; NOT_FOUND for one that is missing or
 * another tenant's, and for a deleted one unless the caller is a super admin.
 */
async function readableAccount(ctx: RequestContext, id: string): Promise<Account> {
  authorizeOn(ctx.principal, 'account.read', requireUuid(id, 'Account'), 'Account');
  const account = shown(ctx, await accountLoader(ctx).load(id.toLowerCase()));
  if (!account) throw notFound('Account');
  return account;
}

/** An `Account` reference: null (never NOT_FOUND) for an unknown, another tenant's or a deleted account, like every entity reference. */
const accountRef = entityReference({ action: 'account.read', load: accountLoader, accountOf: (a: Account) => a.id });

export const accountResolvers: Resolvers = {
  Query: {
    /** Who the request acts as: any authenticated caller may ask (the gateway refuses anonymous ones). */
    viewer: (_, __, ctx) => {
      const p = ctx.principal;
      return {
        subject: p.subject,
        kind: p.kind,
        roles: p.roles,
        superAdmin: p.superAdmin,
        scopes: p.scopes,
        accountId: p.accountId,
        userId: p.userId ?? null,
        teamIds: p.teamIds,
        orgIds: p.orgIds,
      };
    },
    account: (_, __, ctx) => readableAccount(ctx, ctx.account),
    accounts: (_, args, ctx) => listAccounts(ctx, args, args.filter),
  },
  Viewer: {
    // the account only when the caller may read it (an end user's CLIENT key sees its id, not the account)
    account: async (v, _, ctx) => {
      if (!v.accountId || !can(ctx.principal, 'account.read')) return null;
      const account = await accountLoader(ctx).load(v.accountId);
      return account && account.status !== 'DELETED' ? account : null;
    },
    // one's own directory entry, whatever one's role: the gateway mapped the credential to it
    user: async (v, _, ctx) => {
      if (!v.userId || !v.accountId) return null;
      const user = await userLoader(ctx).load(v.userId);
      return user && user.accountId === v.accountId ? user : null;
    },
  },
  Mutation: {
    createAccount: (_, { input }, ctx) => createAccount(ctx, input),
  },
  Account: {
    __resolveReference: async (ref, ctx) => shown(ctx, await accountRef(ref, ctx)),
    orgs: (account, args, ctx) => {
      authorizeOn(ctx.principal, 'directory.read', account.id, 'Account');
      return orgsOfAccount(ctx, args.domain).connection(account.id, args);
    },
    admins: (account, _, ctx) => {
      authorizeOn(ctx.principal, 'accountAdmin.read', account.id, 'Account');
      return adminsLoader(ctx).load(account.id);
    },
  },
};
