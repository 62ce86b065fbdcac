import type { MikroORM } from '@mikro-orm/postgresql';
import { directoryPrincipals, type DirectoryPrincipal, type UserStatus } from '@cockpit/contracts';
import { inTenantTx, type InternalRoute } from '@cockpit/kit';
import { gatewayRoute } from '../gateway-contract/route';

export const DIRECTORY_PRINCIPALS_PATH = directoryPrincipals.path;

interface UserRow {
  id: string;
  account_id: string;
  email: string;
  status: UserStatus;
  team_ids: string[] | string;
  org_ids: string[] | string;
}
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
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
    const byEmail = lookups.flatMap((l) => ('email' in l ? [[l.accountId.toLowerCase(), l.email.trim().toLowerCase()]] : []));
    const byId = lookups.flatMap((l) => ('userId' in l ? [[l.accountId.toLowerCase(), l.userId.toLowerCase()]] : []));
    return inTenantTx(orm.em.fork(), { accountId: null, platform: true }, async (em) => {
      const where = [
        ...byEmail.map(() => `(u.account_id = ? and lower(u.email) = ?)`),
        ...byId.map(() => `(u.account_id = ? and u.id = ?)`),
      ].join(' or ');
      const users: UserRow[] = await em.execute(
        `select u.id, u.account_id, lower(u.email) as email, u.status,
                coalesce((select json_agg(tm.team_id order by tm.team_id) from "identity"."team_member" tm where tm.user_id = u.id), '[]') as team_ids,
                coalesce((select json_agg(distinct t.org_id) from "identity"."team_member" tm join "identity"."team" t on t.id = tm.team_id
                           where tm.user_id = u.id), '[]') as org_ids
           from "identity"."app_user" u where ${where}
          order by (u.status = 'ACTIVE') desc, u.domain, u.id`,
        [...byEmail.flat(), ...byId.flat()],
      );
      const emailOf = new Map(users.map((u) => [`${u.account_id}:${u.id}`, u.email]));
      const emails = lookups.map((l) =>
        'email' in l ? l.email.trim().toLowerCase() : emailOf.get(`${l.accountId.toLowerCase()}:${l.userId.toLowerCase()}`),
      );
      const wanted = lookups.flatMap((l, i) => (emails[i] ? [[l.accountId.toLowerCase(), emails[i]!]] : []));
      const grants: { account_id: string; email: string; role: DirectoryPrincipal['adminRole'] }[] = wanted.length
        ? await em.execute(
            `select account_id, lower(email) as email, role from "identity"."account_admin" where ${wanted
              .map(() => `(account_id = ? and lower(email) = ?)`)
              .join(' or ')}`,
            wanted.flat(),
          )
        : [];
      const roleOf = new Map(grants.map((g) => [`${g.account_id}:${g.email}`, g.role]));
      return {
        principals: lookups.map((l, i): DirectoryPrincipal => {
          const accountId = l.accountId.toLowerCase();
          const matches = users.filter(
            (u) => u.account_id === accountId && ('email' in l ? u.email === emails[i] : u.id === l.userId.toLowerCase()),
          );
          const adminRole = (emails[i] && roleOf.get(`${accountId}:${emails[i]}`)) || null;
          if (!matches.length) return { ...NOBODY, adminRole };
          return {
            userId: matches[0].id,
            status: matches[0].status,
            teamIds: [...new Set(matches.flatMap((u) => json(u.team_ids)))],
            orgIds: [...new Set(matches.flatMap((u) => json(u.org_ids)))],
            adminRole,
          };
        }),
      };
    });
  });
}
