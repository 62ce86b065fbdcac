import { defineConcept } from '@cockpit/kit';
import { BudgetCycleRow } from './cycle.entity';
import { cycleResolvers } from './cycle.resolvers';

/** Cycles (BU7): balances roll over at the plan's cycle boundary (a new key); past cycles stay readable. */
export const cycles = defineConcept({ name: 'cycles', entities: [BudgetCycleRow], resolvers: cycleResolvers });
