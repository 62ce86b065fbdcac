import { join } from 'node:path';
import { defineSubgraph } from '@cockpit/kit';
import { migrations } from './migrations';
import { plans } from './plans/plan.concept';

export const SCHEMA_FILE = join(__dirname, 'schema.graphql');

/** Budgets and credits (BU*): builds the subgraph without listening. */
export const createBudgetsSubgraph = defineSubgraph({
  name: 'budgets',
  schemaFile: SCHEMA_FILE,
  concepts: [plans],
  migrations,
  // the plan is a row of this schema; nothing in it reads the clock (cycleAnchor is stored, not computed)
  cacheable: { fields: ['budgetPlan'], entities: ['Account'] },
});
