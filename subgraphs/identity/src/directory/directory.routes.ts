import type { MikroORM } from '@mikro-orm/postgresql';
import { directoryPrincipals, type DirectoryPrincipal, type UserStatus } from '@cockpit/contracts';
import { inPlatformTx, type InternalRoute } from '@cockpit/kit';
import { accountAdminRepository } from '../account-admins/account-admin.repository';
import { gatewayRoute } from '../gateway-contract/route';
import { directoryRepository } from './directory.repository';

export const DIRECTORY_PRINCIPALS_PATH = directoryPrincipals.path;

const NOBODY: DirectoryPrincipal = { userId: null, status: null, teamIds: [], orgIds: [], adminRole: null };

/**
 * Who the gateway's credentials are in the directory, a batch at a time: an
 * OIDC login by account and email, a user-bound key by user id. An email may
 * name a user in each directory tree (Copilot, Console): the principal gets
 * the teams and orgs of all of them, and the id of the active one first
 * (Console before Copilot). Two statements per batch: users with their teams
 * and orgs, then the account-admin grants of their emails.
 */
export function directoryRoutes(orm: MikroORM): Record<string, InternalRoute> {
  return gatewayRoute(directoryPrincipals, async ({ lookups }) => {
    if (!lookups.length) return { principals: [] };
    const byEmail = lookups.flatMap((l): [string, string][] =>
      'email' in l ? [[l.accountId.toLowerCase(), l.email.trim().toLowerCase()]] : [],
    );
    const byId = lookups.flatMap((l): [string, string][] => ('userId' in l ? [[l.accountId.toLowerCase(), l.userId.toLowerCase()]] : []));
    return inPlatformTx(orm, async (em) => {
      const users = await directoryRepository.usersByCredential(em, byEmail, byId);
      const emailOf = new Map(users.map((u) => [`${u.accountId}:${u.id}`, u.email]));
      const emails = lookups.map((l) =>
        'email' in l ? l.email.trim().toLowerCase() : emailOf.get(`${l.accountId.toLowerCase()}:${l.userId.toLowerCase()}`),
      );
      const wanted = lookups.flatMap((l, i): [string, string][] => (emails[i] ? [[l.accountId.toLowerCase(), emails[i]!]] : []));
      const grants = await accountAdminRepository.rolesOf(em, wanted);
      const roleOf = new Map(grants.map((g) => [`${g.accountId}:${g.email.toLowerCase()}`, g.role as DirectoryPrincipal['adminRole']]));
      return {
        principals: lookups.map((l, i): DirectoryPrincipal => {
          const accountId = l.accountId.toLowerCase();
          const matches = users.filter(
            (u) => u.accountId === accountId && ('email' in l ? u.email === emails[i] : u.id === l.userId.toLowerCase()),
          );
          const adminRole = (emails[i] && roleOf.get(`${accountId}:${emails[i]}`)) || null;
          if (!matches.length) return { ...NOBODY, adminRole };
          return {
            userId: matches[0].id,
            status: matches[0].status as UserStatus,
            teamIds: [...new Set(matches.flatMap((u) => u.teamIds))],
            orgIds: [...new Set(matches.flatMap((u) => u.orgIds))],
            adminRole,
          };
        }),
      };
    });
  });
}
