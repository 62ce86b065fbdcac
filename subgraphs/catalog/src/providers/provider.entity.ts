import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const PROVIDER_KINDS = ['OPENAI', 'ANTHROPIC', 'AZURE_OPENAI', 'GOOGLE', 'AWS_BEDROCK', 'OPENAI_COMPATIBLE'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];
export const PROVIDER_STATUSES = ['ACTIVE', 'DISABLED'] as const;
export type ProviderStatus = (typeof PROVIDER_STATUSES)[number];

/** A vendor endpoint serving catalog models (CA1): platform-wide, no account_id, no RLS; only super admins write it. */
export const Provider = defineEntity({
  name: 'Provider',
  tableName: 'provider',
  properties: {
    id: p.uuid().primary(),
    name: p.string().unique(),
    kind: p.string().$type<ProviderKind>(),
    baseUrl: p.string().nullable(),
    status: p.string().$type<ProviderStatus>(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type Provider = InferEntity<typeof Provider>;
