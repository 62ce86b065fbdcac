import { defineConcept, defineEvents } from '@cockpit/kit';
import { BudgetAlert } from './alert.entity';
import { alertResolvers } from './alert.resolvers';

export const alertEvents = defineEvents({
  // recorded by the debit that crossed the threshold, in its transaction (usage.service.ts)
  'budget.threshold_crossed': {
    subject: 'BudgetNode',
    payload: ['alertId', 'scopeType', 'threshold', 'limit', 'used', 'cycleStart'],
  },
});

/** Threshold alerts (BU9): 80 % and 100 % of a level's limit, once per level and cycle. */
export const alerts = defineConcept({ name: 'alerts', entities: [BudgetAlert], resolvers: alertResolvers, events: alertEvents });
