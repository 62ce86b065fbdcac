import { authorize, requireAccount } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { authorizeOn } from '../shared/access';
import type { SsoSettings } from './sso-settings.entity';
import { setAccountSso, ssoLoader, ssoStatus } from './sso.service';

const upper = (s: SsoSettings) => ({ ...s, provider: s.provider.toUpperCase() });

/** SSO settings (ID5): super admins write them for the account named by X-Account-Id; account admins read them. */
export const ssoResolvers: Resolvers = {
  Query: {
    ssoStatus: (_, __, ctx) => {
      const accountId = requireAccount(authorize(ctx.principal, 'sso.read'));
      return ssoStatus(ctx, accountId);
    },
  },
  Mutation: {
    setAccountSso: async (_, { input }, ctx) => {
      const accountId = requireAccount(authorize(ctx.principal, 'sso.write'));
      return upper(await setAccountSso(ctx, accountId, input));
    },
  },
  Account: {
    sso: async (account, _, ctx) => {
      authorizeOn(ctx.principal, 'sso.read', account.id, 'Account');
      const s = await ssoLoader(ctx).load(account.id);
      return s && upper(s);
    },
  },
};
