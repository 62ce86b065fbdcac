import { join } from 'node:path';
import { buildSubgraph, scalarResolvers, type BuiltSubgraph, type SubgraphConfig } from '@cockpit/kit';
import { migrations } from './migrations';
import { BudgetPlan } from './plans/plan.entity';
import { planResolvers } from './plans/plan.resolvers';

export const SCHEMA_FILE = join(__dirname, 'schema.graphql');

/** Budgets and credits (BU*): builds the subgraph without listening. */
export function createBudgetsSubgraph(config: SubgraphConfig): Promise<BuiltSubgraph> {
  return buildSubgraph(
    {
      name: 'budgets',
      schemaFile: SCHEMA_FILE,
      resolvers: { ...scalarResolvers, ...planResolvers } as never,
      entities: [BudgetPlan],
      migrations,
    },
    config,
  );
}
