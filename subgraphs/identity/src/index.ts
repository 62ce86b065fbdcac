import { join } from 'node:path';
import { buildSubgraph, DateTimeScalar, type BuiltSubgraph, type SubgraphConfig } from '@cockpit/kit';
import { AccountAdmin } from './account-admins/account-admin.entity';
import { accountAdminResolvers } from './account-admins/account-admin.resolvers';
import { Account } from './accounts/account.entity';
import { accountResolvers } from './accounts/account.resolvers';
import { ApiKey } from './api-keys/api-key.entity';
import { apiKeyResolvers } from './api-keys/api-key.resolvers';
import { apiKeyRoutes } from './api-keys/api-key.routes';
import { AppUser, Org, Team, TeamMember } from './directory/directory.entity';
import { directoryResolvers } from './directory/directory.resolvers';
import { migrations } from './migrations';

export { bootstrapAdminKey, recoverAdminKey, type BootstrapResult } from './api-keys/bootstrap.service';
export { hashSecret } from './api-keys/api-key.secret';
export { LOOKUP_PATH, type ApiKeyLookup } from './api-keys/api-key.routes';

export const SCHEMA_FILE = join(__dirname, 'schema.graphql');

/** Identity and directory (ID1–ID3, ID6, ID7): builds the subgraph without listening. */
export function createIdentitySubgraph(config: SubgraphConfig): Promise<BuiltSubgraph> {
  return buildSubgraph(
    {
      name: 'identity',
      schemaFile: SCHEMA_FILE,
      resolvers: {
        DateTime: DateTimeScalar,
        Query: { ...accountResolvers.Query, ...directoryResolvers.Query, ...apiKeyResolvers.Query },
        Mutation: {
          ...accountResolvers.Mutation,
          ...accountAdminResolvers.Mutation,
          ...directoryResolvers.Mutation,
          ...apiKeyResolvers.Mutation,
        },
        Account: accountResolvers.Account,
        Org: directoryResolvers.Org,
        Team: directoryResolvers.Team,
        User: directoryResolvers.User,
      } as never,
      entities: [Account, AccountAdmin, Org, Team, AppUser, TeamMember, ApiKey],
      migrations,
      routes: apiKeyRoutes,
    },
    config,
  );
}
