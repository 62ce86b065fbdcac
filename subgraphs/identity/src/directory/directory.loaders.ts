import { anyUuid, byIdLoader, type ConnectionArgs, groupBy, type RequestContext, paginate, windowed } from '@cockpit/kit';
import { AppUser, type DirectoryDomain, Org, Team } from './directory.entity';

/*
 * Every nested list of the directory is loaded per level, not per parent: one
 * windowed query cuts each parent's page (first + 1 rows) and one grouped query
 * counts them, so `orgs → teams → members` costs the same number of statements
 * for 10 children as for 10,000. Loader names carry the page arguments, since
 * parents at one level share them in practice.
 */

export const toOrg = (r: Record<string, any>) =>
  ({ id: r.id, accountId: r.account_id, name: r.name, domain: r.domain, createdAt: r.created_at }) as Org;
export const toTeam = (r: Record<string, any>) =>
  ({ id: r.id, accountId: r.account_id, orgId: r.org_id, domain: r.domain, name: r.name, createdAt: r.created_at }) as Team;
export const toUser = (r: Record<string, any>) =>
  ({
    id: r.id,
    accountId: r.account_id,
    email: r.email,
    displayName: r.display_name,
    domain: r.domain,
    status: r.status,
    createdAt: r.created_at,
  }) as AppUser;

// by id the ORM says it (and its tenant filter applies); only the windowed pages below need SQL
export const orgLoader = (ctx: RequestContext) => byIdLoader<Org>(ctx, Org, 'org');
export const teamLoader = (ctx: RequestContext) => byIdLoader<Team>(ctx, Team, 'team');
export const userLoader = (ctx: RequestContext) => byIdLoader<AppUser>(ctx, AppUser, 'appUser');

interface ChildQuery<T> {
  name: string;
  /** Selects the children of the parents bound to the first `?`, with a `parent_id` column; `after` is bound next. */
  sql: string;
  countSql: string;
  params?: unknown[];
  map: (r: any) => T;
}

/** Per-level loaders: a connection per parent from one page query, and counts from one grouped query (only if asked). */
function children<T extends { id: string }>(ctx: RequestContext, q: ChildQuery<T>) {
  const extra = q.params ?? [];
  const counts = ctx.loader<string, number>(`${q.name}:count`, async (parents) => {
    const rows = await ctx.read((em) => em.execute(q.countSql, [[...parents], ...extra]));
    const by = new Map(rows.map((r: any) => [r.parent_id as string, Number(r.n)]));
    return parents.map((p) => by.get(p) ?? 0);
  });
  return {
    count: (parentId: string) => counts.load(parentId),
    connection(parentId: string, args: ConnectionArgs) {
      return paginate(args, {
        // one page query for every parent asking for the same page (a loader per page shape)
        rows: ({ after, take }) =>
          ctx
            .loader<string, T[]>(`${q.name}:page:${take}:${after ?? ''}`, async (parents) => {
              const sql = windowed(q.sql, 'parent_id', take);
              const rows = await ctx.read((em) => em.execute(sql, [[...parents], ...extra, after, after]));
              const by = groupBy(rows, (r: any) => r.parent_id as string);
              return parents.map((p) => (by.get(p) ?? []).map(q.map));
            })
            .load(parentId),
        key: (r: T) => r.id,
        count: () => counts.load(parentId),
      });
    },
  };
}

const AFTER = `(?::uuid is null or x_id > ?::uuid)`;

export function orgsOfAccount(ctx: RequestContext, domain: DirectoryDomain | null | undefined) {
  const byDomain = domain ? `and o.domain = ?` : '';
  return children(ctx, {
    name: `orgsOfAccount:${domain ?? '*'}`,
    sql: `select o.*, o.account_id as parent_id from "identity"."org" o
      where ${anyUuid('o.account_id')} ${byDomain} and ${AFTER.replace('x_id', 'o.id')}`,
    countSql: `select o.account_id as parent_id, count(*)::int as n from "identity"."org" o
      where ${anyUuid('o.account_id')} ${byDomain} group by o.account_id`,
    params: domain ? [domain] : [],
    map: toOrg,
  });
}

export function teamsOfOrg(ctx: RequestContext) {
  return children(ctx, {
    name: 'teamsOfOrg',
    sql: `select t.*, t.org_id as parent_id from "identity"."team" t where ${anyUuid('t.org_id')} and ${AFTER.replace('x_id', 't.id')}`,
    countSql: `select t.org_id as parent_id, count(*)::int as n from "identity"."team" t where ${anyUuid('t.org_id')} group by t.org_id`,
    map: toTeam,
  });
}

export function membersOfTeam(ctx: RequestContext) {
  return children(ctx, {
    name: 'membersOfTeam',
    sql: `select u.*, m.team_id as parent_id from "identity"."team_member" m
      join "identity"."app_user" u on u.id = m.user_id and u.account_id = m.account_id
      where ${anyUuid('m.team_id')} and ${AFTER.replace('x_id', 'u.id')}`,
    countSql: `select m.team_id as parent_id, count(*)::int as n from "identity"."team_member" m where ${anyUuid('m.team_id')} group by m.team_id`,
    map: toUser,
  });
}

/** Batched: the teams of every user asked about, in one query. */
export function teamsOfUser(ctx: RequestContext, userId: string): Promise<Team[]> {
  return ctx
    .loader<string, Team[]>('teamsOfUser', async (ids) => {
      const rows = await ctx.read((em) =>
        em.execute(
          `select t.*, m.user_id as parent_id from "identity"."team_member" m
            join "identity"."team" t on t.id = m.team_id and t.account_id = m.account_id
            where ${anyUuid('m.user_id')} order by m.user_id, t.id`,
          [[...ids]],
        ),
      );
      const by = groupBy(rows, (r: any) => r.parent_id as string);
      return ids.map((id) => (by.get(id) ?? []).map(toTeam));
    })
    .load(userId);
}
