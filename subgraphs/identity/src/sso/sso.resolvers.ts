import { authorize, requireAccount, type RequestContext } from '@cockpit/kit';
import type { Account } from '../accounts/account.entity';
import { authorizeOn } from '../shared/access';
import type { SsoSettings } from './sso-settings.entity';
import { setAccountSso, ssoLoader, ssoStatus, type SetAccountSsoInput } from './sso.service';

const upper = (s: SsoSettings) => ({ ...s, provider: s.provider.toUpperCase() });

/** SSO settings (ID5): super admins write them for the account named by X-Account-Id; account admins read them. */
export const ssoResolvers = {
  Query: {
    ssoStatus: (_: unknown, __: unknown, ctx: RequestContext) => {
      const accountId = requireAccount(authorize(ctx.principal, 'sso.read'));
      return ssoStatus(ctx, accountId);
    },
  },
  Mutation: {
    setAccountSso: async (_: unknown, { input }: { input: SetAccountSsoInput }, ctx: RequestContext) => {
      const accountId = requireAccount(authorize(ctx.principal, 'sso.write'));
      return upper(await setAccountSso(ctx, accountId, input));
    },
  },
  Account: {
    sso: async (account: Account, _: unknown, ctx: RequestContext) => {
      authorizeOn(ctx.principal, 'sso.read', account.id, 'Account');
      const s = await ssoLoader(ctx).load(account.id);
      return s && upper(s);
    },
  },
};
