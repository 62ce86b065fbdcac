import { defineConcept, defineEvents } from '@cockpit/kit';
import { AccountModelEligibility } from './eligibility.entity';
import { eligibilityResolvers } from './eligibility.resolvers';

/** Which catalog models an account may use (CA2). */
export const eligibility = defineConcept({
  name: 'eligibility',
  entities: [AccountModelEligibility],
  resolvers: eligibilityResolvers,
  events: defineEvents({
    'account.eligible_models.set': { subject: 'Account', payload: ['added', 'removed'] },
  }),
});
