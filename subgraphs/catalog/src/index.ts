import { join } from 'node:path';
import { defineSubgraph, type SubgraphConfig } from '@cockpit/kit';
import { agents } from './agents/agent.concept';
import { aliases } from './aliases/alias.concept';
import { connections } from './connections/connection.concept';
import { SecretBox } from './connections/secret-box';
import { consoleModels } from './console/console.concept';
import { eligibility } from './eligibility/eligibility.concept';
import { features } from './features/feature.concept';
import { grants } from './grants/grant.concept';
import { marketplace } from './marketplace/marketplace.concept';
import { migrations } from './migrations';
import { models } from './models/model.concept';
import { providers } from './providers/provider.concept';

export const SCHEMA_FILE = join(__dirname, 'schema.graphql');
export { SecretBox, UnlistedSecretKeyError, generateSecretKeys, parseSecretKeys } from './connections/secret-box';
export { rotateConnectionSecretsAsSystem } from './connections/rotate-secrets';

/**
 * Providers, model catalog with price history, per-account eligibility, grants, effective sets and aliases
 * (CA1–CA3, CA5), console (BYOK) governance (CA4), agent definitions (CA6), tool connections (CA7), the marketplace (CA8) and feature entitlements (CA9): builds the subgraph without listening.
 * Connection secrets are sealed under `secretKeys` (COCKPIT_SECRET_KEYS), which it requires.
 */
export function createCatalogSubgraph(cfg: SubgraphConfig) {
  if (!cfg.secretKeys) throw new Error('catalog needs COCKPIT_SECRET_KEYS (<kid>:<base64 of 32 bytes>[,…]) to seal connection secrets');
  const box = SecretBox.fromConfig(cfg.secretKeys);
  return defineSubgraph({
    name: 'catalog',
    schemaFile: SCHEMA_FILE,
    concepts: [providers, models, eligibility, grants, aliases, consoleModels, features, agents, connections(box), marketplace],
    migrations,
    // eligibleModels: eligibility rows and the global models (their writes bump every account's generation).
    // Not `models`/`model`: PLATFORM scope, read across accounts by a super admin with no account to key on.
    cacheable: { entities: ['Account'] },
  })(cfg);
}
