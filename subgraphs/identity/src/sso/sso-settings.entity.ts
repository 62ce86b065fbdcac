import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const SSO_PROVIDERS = ['zitadel', 'keycloak', 'auth0', 'generic'] as const;
export type SsoProvider = (typeof SSO_PROVIDERS)[number];

/** One account's own OpenID provider (ID5); at most one per account. */
export const SsoSettings = defineEntity({
  name: 'SsoSettings',
  tableName: 'sso_settings',
  properties: {
    accountId: p.uuid().primary(),
    provider: p.string(),
    issuer: p.string(),
    clientId: p.string(),
    audience: p.string().nullable(),
    rolesClaim: p.string(),
    accountIdClaim: p.string().nullable(),
    superAdminRoles: p.array(),
    enabled: p.boolean(),
    updatedAt: p.datetime(),
  },
});
export type SsoSettings = InferEntity<typeof SsoSettings>;
