import { join } from 'node:path';
import { defineSubgraph } from '@cockpit/kit';
import { aliases } from './aliases/alias.concept';
import { consoleModels } from './console/console.concept';
import { eligibility } from './eligibility/eligibility.concept';
import { features } from './features/feature.concept';
import { grants } from './grants/grant.concept';
import { migrations } from './migrations';
import { models } from './models/model.concept';
import { providers } from './providers/provider.concept';

export const SCHEMA_FILE = join(__dirname, 'schema.graphql');

/** Providers, model catalog with price history, per-account eligibility, grants, effective sets and aliases (CA1–CA3, CA5), console (BYOK) governance (CA4), feature entitlements (CA9): builds the subgraph without listening. */
export const createCatalogSubgraph = defineSubgraph({
  name: 'catalog',
  schemaFile: SCHEMA_FILE,
  concepts: [providers, models, eligibility, grants, aliases, consoleModels, features],
  migrations,
  // eligibleModels: eligibility rows and the global models (their writes bump every account's generation).
  // Not `models`/`model`: PLATFORM scope, read across accounts by a super admin with no account to key on.
  cacheable: { entities: ['Account'] },
});
