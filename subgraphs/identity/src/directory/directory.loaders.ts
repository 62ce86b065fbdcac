import { byIdLoader, type ConnectionArgs, type RequestContext, paginate } from '@cockpit/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppUser, type DirectoryDomain, Org, Team } from './directory.entity';
import { type ChildPage, type ChildPages, directoryRepository as repo } from './directory.repository';

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

interface ChildQuery<T, P extends ChildPages<T> = ChildPages<T>> {
  name: string;
  /** Each parent's page of children, for many parents in one statement, with the parents' numbers of children. */
  page: (em: EntityManager, parents: readonly string[], page: ChildPage) => Promise<P>;
  /** Each parent's number of children, in one statement. */
  count: (em: EntityManager, parents: readonly string[]) => Promise<Map<string, number>>;
  /** What else the page's statement brought (counts of the next level), for the request's loaders of it. */
  carried?: (ctx: RequestContext, pages: P) => void;
}

/** A per-level count loader: one grouped statement per batch of parents. */
export function countLoader(ctx: RequestContext, name: string, count: ChildQuery<never>['count']) {
  return ctx.loader<string, number>(name, async (parents) => {
    const by = await ctx.read((em) => count(em, parents));
    return parents.map((p) => by.get(p) ?? 0);
  });
}

/**
 * Per-level loaders: a connection per parent from one page query, and counts from one grouped query (only if
 * asked). A first page (no cursor) brings every parent's count with it, so `totalCount` beside `nodes` costs
 * no statement of its own.
 */
function children<T extends { id: string }, P extends ChildPages<T> = ChildPages<T>>(ctx: RequestContext, q: ChildQuery<T, P>) {
  const counts = countLoader(ctx, `${q.name}:count`, q.count);
  return {
    count: (parentId: string) => counts.load(parentId),
    connection(parentId: string, args: ConnectionArgs) {
      return paginate(args, {
        // one page query for every parent asking for the same page (a loader per page shape)
        rows: (page) =>
          ctx
            .loader<string, T[]>(`${q.name}:page:${page.take}:${page.after ?? ''}`, async (parents) => {
              const res = await ctx.read((em) => q.page(em, parents, page));
              // from the first row on, the window counted all of a parent's children; a parent without rows has none
              if (page.after === null) for (const p of parents) counts.prime(p, res.totals.get(p) ?? 0);
              q.carried?.(ctx, res);
              return parents.map((p) => res.byParent.get(p) ?? []);
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
  return children<Team, Awaited<ReturnType<typeof repo.teamsOfOrgs>>>(ctx, {
    name: 'teamsOfOrg',
    page: repo.teamsOfOrgs,
    count: repo.teamCounts,
    // the page's teams come with their member counts: `memberCount` of each costs no statement
    carried: (c, res) => {
      const memberCounts = countLoader(c, MEMBERS_OF_TEAM_COUNT, repo.memberCounts);
      for (const [teamId, n] of res.memberCounts) memberCounts.prime(teamId, n);
    },
  });
}

const MEMBERS_OF_TEAM_COUNT = 'membersOfTeam:count';

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
