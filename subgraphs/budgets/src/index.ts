import { join } from 'node:path';
import { defineSubgraph, type BuiltSubgraph, type SubgraphConfig } from '@cockpit/kit';
import { alerts } from './alerts/alert.concept';
import { allocations } from './allocations/allocation.concept';
import { cycles } from './cycles/cycle.concept';
import { httpDirectoryClient, type DirectoryClient } from './directory/directory.client';
import { migrations } from './migrations';
import { plans } from './plans/plan.concept';
import { usage } from './usage/usage.concept';

export const SCHEMA_FILE = join(__dirname, 'schema.graphql');
export type { DirectoryClient } from './directory/directory.client';

/** `serviceUrls.identity`: where budgets asks identity where directory nodes sit. */
export type BudgetsConfig = SubgraphConfig & {
  /** Replaces the HTTP directory client (tests of budgets alone). */
  directory?: DirectoryClient;
};

/** Budgets and credits (BU*): builds the subgraph without listening. */
export function createBudgetsSubgraph(config: BudgetsConfig): Promise<BuiltSubgraph> {
  const directory = config.directory ?? httpDirectoryClient();
  return defineSubgraph({
    name: 'budgets',
    schemaFile: SCHEMA_FILE,
    concepts: [plans, allocations(directory), usage(directory), cycles, alerts],
    migrations,
    // the plan is a row of this schema; nothing in it reads the clock (cycleAnchor is stored, not computed).
    // Not the allocation fields: their figures are of the current cycle, which the clock decides.
    cacheable: { fields: ['budgetPlan'], entities: ['Account'] },
  })(config);
}
