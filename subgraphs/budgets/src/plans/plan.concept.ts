import { defineConcept, defineEvents } from '@cockpit/kit';
import { BudgetPlan } from './plan.entity';
import { planResolvers } from './plan.resolvers';

/** An account's budget plan (BU1). */
export const plans = defineConcept({
  name: 'plans',
  entities: [BudgetPlan],
  resolvers: planResolvers,
  events: defineEvents({
    'budget.plan.set': { subject: 'BudgetPlan', payload: ['before', 'after'] },
  }),
});
