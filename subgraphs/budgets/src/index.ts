import { join } from 'node:path';
import { defineSubgraph, type BuiltSubgraph, type SubgraphConfig } from '@cockpit/kit';
import { alerts } from './alerts/alert.concept';
import { allocations } from './allocations/allocation.concept';
import { cycles } from './cycles/cycle.concept';
import { httpDirectoryClient, type DirectoryClient } from './directory/directory.client';
import { migrations } from './migrations';
import { plans } from './plans/plan.concept';
import { costs } from './usage/costs.concept';
import { usage } from './usage/usage.concept';
import { httpPriceClient, type PriceClient } from './usage/usage.pricing';

export const SCHEMA_FILE = join(__dirname, 'schema.graphql');
export type { DirectoryClient } from './directory/directory.client';
export type { PriceClient } from './usage/usage.pricing';

/** `serviceUrls.identity`: where budgets asks identity where directory nodes sit; `serviceUrls.catalog`: model prices. */
export type BudgetsConfig = SubgraphConfig & {
  /** Replaces the HTTP directory client (tests of budgets alone). */
  directory?: DirectoryClient;
  /** Replaces the HTTP price client (tests of budgets alone). */
  prices?: PriceClient;
};

/** Budgets and credits (BU*): builds the subgraph without listening. */
export function createBudgetsSubgraph(config: BudgetsConfig): Promise<BuiltSubgraph> {
  const directory = config.directory ?? httpDirectoryClient();
  const prices = config.prices ?? httpPriceClient();
  return defineSubgraph({
    name: 'budgets',
    schemaFile: SCHEMA_FILE,
    concepts: [plans, allocations(directory), usage(directory, prices), costs(directory), cycles, alerts],
    migrations,
    // the plan is a row of this schema; nothing in it reads the clock (cycleAnchor is stored, not computed).
    // Not the allocation fields: their figures are of the current cycle, which the clock decides.
    cacheable: { fields: ['budgetPlan'], entities: ['Account'] },
  })(config);
}
