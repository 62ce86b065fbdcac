import { authorizeOn } from '@cockpit/kit';
import type { Resolvers, SsoProvider } from '../__generated__/resolvers-types';
import { setAccountSso, ssoLoader, ssoStatus } from './sso.service';

/** SSO settings (ID5): super admins write them for the account named by X-Account-Id; account admins read them. */
export const ssoResolvers: Resolvers = {
  Query: {
    ssoStatus: (_, __, ctx) => ssoStatus(ctx, ctx.account),
  },
  Mutation: {
    setAccountSso: (_, { input }, ctx) => setAccountSso(ctx, ctx.account, input),
  },
  SsoSettings: {
    // stored lowercase (sso_settings.provider), the API's enum is uppercase: one conversion for every path
    provider: (s) => s.provider.toUpperCase() as SsoProvider,
  },
  Account: {
    sso: (account, _, ctx) => {
      authorizeOn(ctx.principal, 'sso.read', account.id, 'Account');
      return ssoLoader(ctx).load(account.id);
    },
  },
};
