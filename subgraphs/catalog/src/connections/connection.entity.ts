import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const CONNECTION_TYPES = ['OPENAPI', 'MCP', 'COMPOSIO'] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];

/**
 * A tool an account's agents may call (CA7): an OpenAPI service, an MCP server or a Composio
 * toolkit (tenant table, RLS). The secret is sealed (secret-box.ts); only its field names are clear.
 */
export const ToolConnection = defineEntity({
  name: 'ToolConnection',
  tableName: 'tool_connection',
  properties: {
    id: p.uuid().primary(),
    accountId: p.uuid(),
    name: p.string(),
    description: p.text(),
    type: p.string().$type<ConnectionType>(),
    config: p.json<Record<string, unknown>>(),
    secretFields: p.array(),
    secretCiphertext: p.text().nullable(),
    secretDek: p.text().nullable(),
    secretKeyId: p.string().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type ToolConnection = InferEntity<typeof ToolConnection>;
