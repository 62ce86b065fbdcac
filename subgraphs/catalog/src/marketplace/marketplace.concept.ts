import { defineConcept, defineEvents } from '@cockpit/kit';
import { MarketplaceItem } from './marketplace-item.entity';
import { marketplaceResolvers } from './marketplace-item.resolvers';

/** The account's marketplace of agents and connections, and who may discover each item (CA8). */
export const marketplace = defineConcept({
  name: 'marketplace',
  entities: [MarketplaceItem],
  resolvers: marketplaceResolvers,
  events: defineEvents({
    'marketplace_item.created': { subject: 'MarketplaceItem', payload: ['after'] },
    'marketplace_item.updated': { subject: 'MarketplaceItem', payload: ['before', 'after'] },
    'marketplace_item.published': { subject: 'MarketplaceItem', payload: ['before', 'after'] },
    'marketplace_item.unpublished': { subject: 'MarketplaceItem', payload: ['before', 'after'] },
    'marketplace_item.archived': { subject: 'MarketplaceItem', payload: ['before', 'after'] },
    'marketplace_item.grants_changed': { subject: 'MarketplaceItem', payload: ['before', 'after'] },
  }),
});
