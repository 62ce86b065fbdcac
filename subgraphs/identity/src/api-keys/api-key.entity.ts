import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export type ApiKeyTier = 'ADMIN' | 'CLIENT';

/** Only the sha256 of the secret is stored; `prefix` is the part safe to display. */
export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_key',
  properties: {
    id: p.uuid().primary(),
    accountId: p.uuid().nullable(),
    userId: p.uuid().nullable(),
    /** The service account whose key this is (a platform key: no account, no user). */
    serviceAccountId: p.uuid().nullable(),
    name: p.string(),
    tier: p.string(),
    scopes: p.array(),
    modelAllowlist: p.array(),
    prefix: p.string(),
    hash: p.string(),
    createdAt: p.datetime(),
    expiresAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
  },
});
export type ApiKey = InferEntity<typeof ApiKey>;
