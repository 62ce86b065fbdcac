import { join } from 'node:path';
import { buildSubgraph, DateTimeScalar, DecimalScalar, type BuiltSubgraph, type SubgraphConfig } from '@cockpit/kit';
import { AccountModelEligibility } from './eligibility/eligibility.entity';
import { eligibilityResolvers } from './eligibility/eligibility.resolvers';
import { migrations } from './migrations';
import { Model } from './models/model.entity';
import { modelResolvers } from './models/model.resolvers';

export const SCHEMA_FILE = join(__dirname, 'schema.graphql');

/** Model catalog and per-account eligibility (CA1, CA2): builds the subgraph without listening. */
export function createCatalogSubgraph(config: SubgraphConfig): Promise<BuiltSubgraph> {
  return buildSubgraph(
    {
      name: 'catalog',
      schemaFile: SCHEMA_FILE,
      resolvers: {
        DateTime: DateTimeScalar,
        Decimal: DecimalScalar,
        Query: { ...modelResolvers.Query },
        Mutation: { ...modelResolvers.Mutation, ...eligibilityResolvers.Mutation },
        Model: modelResolvers.Model,
        Account: eligibilityResolvers.Account,
      } as never,
      entities: [Model, AccountModelEligibility],
      migrations,
    },
    config,
  );
}
