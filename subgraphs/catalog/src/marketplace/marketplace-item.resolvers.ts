import { authorizeOn, notFound, type RequestContext } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { agentLoader } from '../agents/agent.service';
import { connectionLoader } from '../connections/connection.service';
import { grantsByResourceLoader } from '../scope-grants/scope-grant.service';
import type { MarketplaceItem } from './marketplace-item.entity';
import {
  ARCHIVE,
  PUBLISH,
  UNPUBLISH,
  changeMarketplaceItemGrants,
  createMarketplaceItem,
  discoverMarketplace,
  listMarketplaceItems,
  marketplaceItemLoader,
  transitionMarketplaceItem,
  updateMarketplaceItem,
} from './marketplace-item.service';

async function loadItem(ctx: RequestContext, id: string): Promise<MarketplaceItem> {
  const m = await marketplaceItemLoader(ctx).load(id);
  if (!m) throw notFound('MarketplaceItem');
  return m;
}

export const marketplaceResolvers: Resolvers = {
  Query: {
    marketplaceItems: (_, args, ctx) => listMarketplaceItems(ctx, ctx.account, args),
    marketplaceItem: (_, { id }, ctx) => loadItem(ctx, id),
    marketplace: (_, args, ctx) => discoverMarketplace(ctx, ctx.account, args),
  },
  Mutation: {
    createMarketplaceItem: (_, { input }, ctx) => createMarketplaceItem(ctx, ctx.account, input),
    updateMarketplaceItem: (_, { id, input }, ctx) => updateMarketplaceItem(ctx, ctx.account, id, input),
    publishMarketplaceItem: (_, { id }, ctx) => transitionMarketplaceItem(ctx, ctx.account, id, PUBLISH),
    unpublishMarketplaceItem: (_, { id }, ctx) => transitionMarketplaceItem(ctx, ctx.account, id, UNPUBLISH),
    archiveMarketplaceItem: (_, { id }, ctx) => transitionMarketplaceItem(ctx, ctx.account, id, ARCHIVE),
    replaceMarketplaceItemGrants: (_, { id, scopes }, ctx) => changeMarketplaceItemGrants(ctx, ctx.account, id, 'replace', scopes),
    addMarketplaceItemGrants: (_, { id, scopes }, ctx) => changeMarketplaceItemGrants(ctx, ctx.account, id, 'add', scopes),
    removeMarketplaceItemGrants: (_, { id, scopes }, ctx) => changeMarketplaceItemGrants(ctx, ctx.account, id, 'remove', scopes),
  },
  MarketplaceItem: {
    // batched: one statement for the agents (or connections) of every item of the request
    agent: (m, _, ctx) => (m.kind === 'AGENT' ? agentLoader(ctx).load(m.resourceId) : null),
    connection: (m, _, ctx) => (m.kind === 'CONNECTION' ? connectionLoader(ctx).load(m.resourceId) : null),
    grants: (m, _, ctx) => {
      // discovery hands items to end users and agents; who else may discover one is for account roles
      authorizeOn(ctx.principal, 'marketplace.read', m.accountId, 'MarketplaceItem');
      return grantsByResourceLoader(ctx, 'MARKETPLACE_ITEM').load(m.id);
    },
  },
};
