import { defineConcept, defineEvents } from '@cockpit/kit';
import type { DirectoryClient } from '../directory/directory.client';
import { UsageRecord } from './usage.entity';
import type { PriceClient } from './usage.pricing';
import { usageResolvers } from './usage.resolvers';

export const usageEvents = defineEvents({
  'budget.usage.recorded': { subject: 'UsageRecord', payload: ['model', 'domain', 'credits', 'userId', 'teamId'] },
});

/** Usage recording (BU5, priced from the catalog when no cost is given) and enforcement (BU6). */
export const usage = (directory: DirectoryClient, prices: PriceClient) =>
  defineConcept({ name: 'usage', entities: [UsageRecord], resolvers: usageResolvers(directory, prices), events: usageEvents });
