import { join } from 'node:path';
import { buildSubgraph, type BuiltSubgraph, type SubgraphConfig } from '@cockpit/kit';
import { accountAdmins } from './account-admins/account-admin.concept';
import { accountLifecycle, accounts } from './accounts/account.concept';
import { apiKeys } from './api-keys/api-key.concept';
import { directory, directoryMaintenance } from './directory/directory.concept';
import { migrations } from './migrations';
import { runtimeAgents } from './runtime-agents/runtime-agent.concept';
import { serviceAccounts } from './service-accounts/service-account.concept';
import { sso } from './sso/sso.concept';
import { credentialsChangeOf } from './gateway-contract/credentials-changed';

export { bootstrapAdminKey, recoverAdminKey, type BootstrapResult } from './api-keys/bootstrap.service';
export { hashSecret } from './api-keys/api-key.secret';
export { LOOKUP_PATH, type ApiKeyLookup } from './api-keys/api-key.routes';
export { DIRECTORY_PRINCIPALS_PATH } from './directory/directory.routes';
export { DIRECTORY_SCOPES_PATH } from './directory/directory-scopes.routes';
export { AGENT_STATUS_PATH, type AgentStatusAnswer } from './runtime-agents/runtime-agent.routes';
export { SSO_ISSUERS_PATH, type SsoIssuerAnswer } from './sso/sso.routes';
export { ACCOUNT_STATUS_PATH, ADMIN_ROLE_PATH, type AccountStatusAnswer, type AdminRoleAnswer } from './accounts/account.routes';

export const SCHEMA_FILE = join(__dirname, 'schema.graphql');

/** Identity and directory (ID1–ID3, ID6, ID7): builds the subgraph without listening. */
export interface IdentityConfig extends SubgraphConfig {
  /** How often API keys' last use is written (default 3 s): the lag `lastUsedAt` may show. */
  lastUsedFlushMs?: number;
}

export function createIdentitySubgraph(config: IdentityConfig): Promise<BuiltSubgraph> {
  return buildSubgraph(
    {
      name: 'identity',
      schemaFile: SCHEMA_FILE,
      concepts: [
        accounts,
        accountLifecycle,
        accountAdmins,
        directory,
        directoryMaintenance,
        apiKeys(config.log, config.lastUsedFlushMs),
        runtimeAgents(config.serviceKey),
        serviceAccounts,
        sso,
      ],
      migrations,
      // the account and its directory: rows of this schema. Not `viewer` (the principal alone, no statement
      // to save), `apiKeys`/`apiKey` (lastUsedAt is flushed every few seconds: exact, but rarely a hit),
      // `runtimeAgents` (not reviewed for clock-derived fields), `accounts` (PLATFORM: every account).
      cacheable: { fields: ['account', 'org', 'team', 'user'], entities: ['Account', 'Org', 'Team', 'User'] },
      alsoRecord: credentialsChangeOf,
    },
    config,
  );
}
