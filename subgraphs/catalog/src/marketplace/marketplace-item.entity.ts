import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const MARKETPLACE_ITEM_KINDS = ['AGENT', 'CONNECTION'] as const;
export type MarketplaceItemKind = (typeof MARKETPLACE_ITEM_KINDS)[number];
export const MARKETPLACE_ITEM_STATUSES = ['DRAFT', 'PUBLISHED', 'UNPUBLISHED', 'ARCHIVED'] as const;
export type MarketplaceItemStatus = (typeof MARKETPLACE_ITEM_STATUSES)[number];

/**
 * A marketplace listing (CA8) of one of the account's agent definitions or tool connections, with
 * its own name, description and semantic version; discoverable once PUBLISHED by whom it is granted
 * to (scope_grant, resource kind MARKETPLACE_ITEM). Tenant table, RLS.
 */
export const MarketplaceItem = defineEntity({
  name: 'MarketplaceItem',
  tableName: 'marketplace_item',
  properties: {
    id: p.uuid().primary(),
    accountId: p.uuid(),
    kind: p.string().$type<MarketplaceItemKind>(),
    /** The agent definition's or tool connection's id. */
    resourceId: p.uuid(),
    name: p.string(),
    description: p.text(),
    version: p.string(),
    status: p.string().$type<MarketplaceItemStatus>(),
    /** When it was last published; kept while unpublished or archived. */
    publishedAt: p.datetime().nullable(),
    /** The creating principal's directory user or subject, for the record. */
    createdBy: p.string().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type MarketplaceItem = InferEntity<typeof MarketplaceItem>;
