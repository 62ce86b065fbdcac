import { defineConcept, defineEvents } from '@cockpit/kit';
import { SsoSettings } from './sso-settings.entity';
import { ssoResolvers } from './sso.resolvers';
import { ssoRoutes } from './sso.routes';

/** Per-account SSO settings (ID5). */
export const sso = defineConcept({
  name: 'sso',
  entities: [SsoSettings],
  resolvers: ssoResolvers,
  routes: ssoRoutes,
  events: defineEvents({
    'account.sso.set': {
      subject: 'Account',
      payload: ['provider', 'issuer', 'clientId', 'audience', 'rolesClaim', 'accountIdClaim', 'superAdminRoles', 'enabled'],
    },
  }),
});
