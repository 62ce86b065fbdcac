import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { directoryScopes, type DirectoryDomainName, type DirectoryScopesAnswer, type UserStatus } from '@cockpit/contracts';
import { inTenantTx, internalRoute, invalidRequest, type InternalRoute } from '@cockpit/kit';
import { directoryScopeRepository } from './directory.repository';

export const DIRECTORY_SCOPES_PATH = directoryScopes.path;

/**
 * Budgets' and catalog's view of the directory (allocations and usage; grant scopes and effective
 * models): which orgs, teams and users exist in one account and where they sit (a team's org, a user's
 * teams in joining order), and a node's children. Only budgets and catalog may call it; it reads in
 * that account's tenant transaction, so RLS confines it to the account.
 */
export function directoryScopesRoutes(orm: MikroORM): Record<string, InternalRoute> {
  return {
    [directoryScopes.path]: internalRoute(['budgets', 'catalog'], async (body) => {
      const parsed = directoryScopes.request(body);
      if (!parsed.ok) throw invalidRequest(`Malformed request to ${directoryScopes.path}`, parsed.problems);
      const req = parsed.value;
      const accountId = req.accountId.toLowerCase();
      return inTenantTx(orm.em.fork() as EntityManager, { accountId, platform: false }, async (em): Promise<DirectoryScopesAnswer> => {
        const [orgs, teams, users] = [
          await directoryScopeRepository.orgs(em, accountId, req.orgIds),
          await directoryScopeRepository.teams(em, accountId, req.teamIds),
          await directoryScopeRepository.users(em, accountId, req.userIds),
        ];
        const children = req.childrenOf ? await directoryScopeRepository.children(em, accountId, req.childrenOf) : null;
        return {
          orgs: orgs.map((o) => ({ id: o.id, domain: o.domain as DirectoryDomainName })),
          teams: teams.map((t) => ({ id: t.id, orgId: t.orgId, domain: t.domain as DirectoryDomainName })),
          users: users.map((u: { id: string; domain: string; status: string; teams: { id: string; orgId: string }[] }) => ({
            id: u.id,
            domain: u.domain as DirectoryDomainName,
            status: u.status as UserStatus,
            teams: u.teams,
          })),
          children,
        };
      });
    }),
  };
}
