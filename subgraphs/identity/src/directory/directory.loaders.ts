import { byIdLoader, type ConnectionArgs, type RequestContext, paginate } from '@cockpit/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppUser, type DirectoryDomain, Org, Team } from './directory.entity';
import { type ChildPage, directoryRepository as repo } from './directory.repository';

/*
 * Every nested list of the directory is loaded per level, not per parent: one
 * windowed query cuts each parent's page (first + 1 rows) and one grouped query
 * counts them, so `orgs → teams → members` costs the same number of statements
 * for 10 children as for 10,000. Loader names carry the page arguments, since
 * parents at one level share them in practice.
 */

// by id the ORM says it (and its tenant filter applies); only the windowed pages below need SQL
export const orgLoader = (ctx: RequestContext) => byIdLoader<Org>(ctx, Org, 'org');
export const teamLoader = (ctx: RequestContext) => byIdLoader<Team>(ctx, Team, 'team');
export const userLoader = (ctx: RequestContext) => byIdLoader<AppUser>(ctx, AppUser, 'appUser');

interface ChildQuery<T> {
  name: string;
  /** Each parent's page of children, for many parents in one statement. */
  page: (em: EntityManager, parents: readonly string[], page: ChildPage) => Promise<Map<string, T[]>>;
  /** Each parent's number of children, in one statement. */
  count: (em: EntityManager, parents: readonly string[]) => Promise<Map<string, number>>;
}

/** A per-level count loader: one grouped statement per batch of parents. */
export function countLoader(ctx: RequestContext, name: string, count: ChildQuery<never>['count']) {
  return ctx.loader<string, number>(name, async (parents) => {
    const by = await ctx.read((em) => count(em, parents));
    return parents.map((p) => by.get(p) ?? 0);
  });
}

/** Per-level loaders: a connection per parent from one page query, and counts from one grouped query (only if asked). */
function children<T extends { id: string }>(ctx: RequestContext, q: ChildQuery<T>) {
  const counts = countLoader(ctx, `${q.name}:count`, q.count);
  return {
    count: (parentId: string) => counts.load(parentId),
    connection(parentId: string, args: ConnectionArgs) {
      return paginate(args, {
        // one page query for every parent asking for the same page (a loader per page shape)
        rows: (page) =>
          ctx
            .loader<string, T[]>(`${q.name}:page:${page.take}:${page.after ?? ''}`, async (parents) => {
              const by = await ctx.read((em) => q.page(em, parents, page));
              return parents.map((p) => by.get(p) ?? []);
            })
            .load(parentId),
        key: (r: T) => r.id,
        count: () => counts.load(parentId),
      });
    },
  };
}

export function orgsOfAccount(ctx: RequestContext, domain: DirectoryDomain | null | undefined) {
  return children<Org>(ctx, {
    name: `orgsOfAccount:${domain ?? '*'}`,
    page: (em, parents, page) => repo.orgsOfAccounts(em, parents, domain, page),
    count: (em, parents) => repo.orgCounts(em, parents, domain),
  });
}

export function teamsOfOrg(ctx: RequestContext) {
  return children<Team>(ctx, { name: 'teamsOfOrg', page: repo.teamsOfOrgs, count: repo.teamCounts });
}

export function membersOfTeam(ctx: RequestContext) {
  return children<AppUser>(ctx, { name: 'membersOfTeam', page: repo.membersOfTeams, count: repo.memberCounts });
}

/** Batched: the teams of every user asked about, in one query. */
export function teamsOfUser(ctx: RequestContext, userId: string): Promise<Team[]> {
  return ctx
    .loader<string, Team[]>('teamsOfUser', async (ids) => {
      const by = await ctx.read((em) => repo.teamsOfUsers(em, ids));
      return ids.map((id) => by.get(id) ?? []);
    })
    .load(userId);
}
