import { join } from 'node:path';
import { buildSubgraph, DateTimeScalar, type BuiltSubgraph, type SubgraphConfig } from '@cockpit/kit';
import type { Resolvers } from './__generated__/resolvers-types';
import { AccountAdmin } from './account-admins/account-admin.entity';
import { accountAdminResolvers } from './account-admins/account-admin.resolvers';
import { Account } from './accounts/account.entity';
import { accountResolvers } from './accounts/account.resolvers';
import { accountLifecycleResolvers } from './accounts/account-lifecycle.resolvers';
import { accountRoutes } from './accounts/account.routes';
import { ApiKey } from './api-keys/api-key.entity';
import { apiKeyResolvers } from './api-keys/api-key.resolvers';
import { ApiKeyUsage } from './api-keys/api-key.last-used';
import { apiKeyRoutes } from './api-keys/api-key.routes';
import { AppUser, Org, Team, TeamMember } from './directory/directory.entity';
import { directoryResolvers } from './directory/directory.resolvers';
import { directoryRoutes } from './directory/directory.routes';
import { directoryMaintenanceResolvers } from './directory/directory-maintenance.resolvers';
import { migrations } from './migrations';
import { RuntimeAgent } from './runtime-agents/runtime-agent.entity';
import { runtimeAgentResolvers } from './runtime-agents/runtime-agent.resolvers';
import { runtimeAgentRoutes } from './runtime-agents/runtime-agent.routes';
import { ServiceAccount } from './service-accounts/service-account.entity';
import { serviceAccountResolvers } from './service-accounts/service-account.resolvers';
import { credentialsChangeOf } from './shared/credentials-changed';
import { SsoSettings } from './sso/sso-settings.entity';
import { ssoResolvers } from './sso/sso.resolvers';
import { ssoRoutes } from './sso/sso.routes';

export { bootstrapAdminKey, recoverAdminKey, type BootstrapResult } from './api-keys/bootstrap.service';
export { hashSecret } from './api-keys/api-key.secret';
export { LOOKUP_PATH, type ApiKeyLookup } from './api-keys/api-key.routes';
export { DIRECTORY_PRINCIPALS_PATH } from './directory/directory.routes';
export { AGENT_STATUS_PATH, type AgentStatusAnswer } from './runtime-agents/runtime-agent.routes';
export { SSO_ISSUERS_PATH, type SsoIssuerAnswer } from './sso/sso.routes';
export { ACCOUNT_STATUS_PATH, ADMIN_ROLE_PATH, type AccountStatusAnswer, type AdminRoleAnswer } from './accounts/account.routes';

export const SCHEMA_FILE = join(__dirname, 'schema.graphql');

/** Identity and directory (ID1–ID3, ID6, ID7): builds the subgraph without listening. */
export function createIdentitySubgraph(config: SubgraphConfig): Promise<BuiltSubgraph> {
  const apiKeyUsage = new ApiKeyUsage(undefined, config.log);
  const runtimeAgents = runtimeAgentResolvers(config.serviceKey);
  // checked against the schema here; the cast below is only because @apollo/subgraph's GraphQLResolverMap
  // types `__resolveReference` as a field resolver (source, args, context, info), not (reference, context, info)
  const resolvers: Resolvers = {
    DateTime: DateTimeScalar,
    Query: {
      ...accountResolvers.Query,
      ...directoryResolvers.Query,
      ...apiKeyResolvers.Query,
      ...runtimeAgents.Query,
      ...serviceAccountResolvers.Query,
      ...ssoResolvers.Query,
    },
    Mutation: {
      ...accountResolvers.Mutation,
      ...accountAdminResolvers.Mutation,
      ...directoryResolvers.Mutation,
      ...apiKeyResolvers.Mutation,
      ...runtimeAgents.Mutation,
      ...serviceAccountResolvers.Mutation,
      ...accountLifecycleResolvers.Mutation,
      ...directoryMaintenanceResolvers.Mutation,
      ...ssoResolvers.Mutation,
    },
    Account: { ...accountResolvers.Account, ...directoryMaintenanceResolvers.Account, ...ssoResolvers.Account },
    SsoSettings: ssoResolvers.SsoSettings,
    Viewer: accountResolvers.Viewer,
    Org: { ...directoryResolvers.Org, ...directoryMaintenanceResolvers.Org },
    Team: directoryResolvers.Team,
    User: directoryResolvers.User,
    ApiKey: apiKeyResolvers.ApiKey,
    RuntimeAgent: runtimeAgents.RuntimeAgent,
  };
  return buildSubgraph(
    {
      name: 'identity',
      schemaFile: SCHEMA_FILE,
      resolvers: resolvers as never,
      entities: [Account, AccountAdmin, Org, Team, AppUser, TeamMember, ApiKey, RuntimeAgent, ServiceAccount, SsoSettings],
      migrations,
      alsoRecord: credentialsChangeOf,
      routes: (orm) => ({
        ...apiKeyRoutes(orm, apiKeyUsage),
        ...runtimeAgentRoutes(orm),
        ...accountRoutes(orm),
        ...ssoRoutes(orm),
        ...directoryRoutes(orm),
      }),
      // pending last-used stamps are written before the ORM closes
      onClose: () => apiKeyUsage.close(),
    },
    config,
  );
}
