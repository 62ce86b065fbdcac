import { type EntityName, LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { anyUuid, readRows, rowMapper, tablesOf, windowed } from '@cockpit/kit';
import { AppUser, type DirectoryDomain, Org, Team, TeamMember } from './directory.entity';

/** A page of each parent's children: strictly after `after` in id order, at most `take` of them. */
export interface ChildPage {
  after: string | null;
  take: number;
}

/** A directory user behind a gateway credential, with the teams and orgs it is in. */
export interface DirectoryUser {
  id: string;
  accountId: string;
  /** Lowercase. */
  email: string;
  status: string;
  teamIds: string[];
  orgIds: string[];
}

const T = (em: EntityManager) => tablesOf(em, { org: Org, team: Team, user: AppUser, member: TeamMember });
const lockIf = (lock: boolean) => (lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
const AFTER = (id: string) => `(?::uuid is null or ${id} > ?::uuid)`;
const json = <V>(v: V | string): V => (typeof v === 'string' ? (JSON.parse(v) as V) : v);

/**
 * Each parent's page of children, and the parents' numbers of children, from one statement for
 * every parent.
 */
export interface ChildPages<E> {
  byParent: Map<string, E[]>;
  /**
   * Each parent's number of children `inner` selects (the window's `total`), for the parents with at
   * least one row in the page. With `after` set that is the number after the cursor, not the list's.
   */
  totals: Map<string, number>;
}

/**
 * Each parent's page of children from one statement for every parent. Raw SQL:
 * a window function (`row_number() over (partition by parent)`) cuts the pages.
 * `inner` selects the child's columns and a `parent_id`, with the parents bound
 * to its first `?` and `after` to its last two; `columns` are computed for the page's rows
 * (`windowed`), and the raw rows are returned beside the entities for them.
 */
async function pages<E extends object>(
  em: EntityManager,
  entity: EntityName<E>,
  inner: string,
  parents: readonly string[],
  extra: unknown[],
  page: ChildPage,
  columns?: string,
): Promise<ChildPages<E> & { rows: Record<string, any>[] }> {
  const rows = await readRows<Record<string, any>>(em, windowed(inner, 'parent_id', page.take, columns), [
    [...parents],
    ...extra,
    page.after,
    page.after,
  ]);
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.parent_id, Number(r.total));
  return { byParent: byParent(em, entity, rows), totals, rows };
}

/** Raw rows with a `parent_id` (and the window's `rn` and `total`) as read-only entities, grouped by parent in row order: the one place they are mapped. */
function byParent<E extends object>(em: EntityManager, entity: EntityName<E>, rows: Record<string, any>[]): Map<string, E[]> {
  const by = new Map<string, E[]>();
  const toEntity = rowMapper(em, entity);
  for (const row of rows) {
    const list = by.get(row.parent_id);
    // the mapper reads the entity's columns only: `parent_id`, `rn`, `total` and any carried count stay behind
    const e = toEntity(row);
    if (list) list.push(e);
    else by.set(row.parent_id, [e]);
  }
  return by;
}

/** Children per parent from one grouped statement (raw SQL: a count grouped by parent, with `parent_id` and `n`). */
async function counts(em: EntityManager, sql: string, parents: readonly string[], extra: unknown[] = []): Promise<Map<string, number>> {
  const rows = await readRows<Record<string, any>>(em, sql, [[...parents], ...extra]);
  return new Map(rows.map((r: any) => [r.parent_id as string, Number(r.n)]));
}

const inDomain = (domain: DirectoryDomain | null | undefined, col: string) => ({
  sql: domain ? `and ${col} = ?` : '',
  params: domain ? [domain] : [],
});

/**
 * The directory tree (orgs, teams, users, memberships). Lists are read per
 * level for many parents at once, so the loaders cost one statement per level.
 * Every read runs in the caller's tenant transaction: RLS confines the raw SQL,
 * the kit's tenant filter the ORM queries too.
 */
export const directoryRepository = {
  /** The account's org (null for another account's), locked for the caller's write with `lock`. */
  org: (em: EntityManager, accountId: string, id: string, { lock = false } = {}) => em.findOne(Org, { id, accountId }, lockIf(lock)),
  team: (em: EntityManager, accountId: string, id: string, { lock = false } = {}) => em.findOne(Team, { id, accountId }, lockIf(lock)),
  user: (em: EntityManager, accountId: string, id: string, { lock = false } = {}) => em.findOne(AppUser, { id, accountId }, lockIf(lock)),

  /** Takes a user out of a team: whether it was a member. */
  removeMember: async (em: EntityManager, accountId: string, teamId: string, userId: string) =>
    (await em.nativeDelete(TeamMember, { accountId, teamId, userId })) > 0,

  orgsOfAccounts(em: EntityManager, accountIds: readonly string[], domain: DirectoryDomain | null | undefined, page: ChildPage) {
    const d = inDomain(domain, 'o.domain');
    const sql = `select o.*, o.account_id as parent_id from ${T(em).org} o
      where ${anyUuid('o.account_id')} ${d.sql} and ${AFTER('o.id')}`;
    return pages(em, Org, sql, accountIds, d.params, page);
  },
  orgCounts(em: EntityManager, accountIds: readonly string[], domain: DirectoryDomain | null | undefined) {
    const d = inDomain(domain, 'o.domain');
    const sql = `select o.account_id as parent_id, count(*)::int as n from ${T(em).org} o
      where ${anyUuid('o.account_id')} ${d.sql} group by o.account_id`;
    return counts(em, sql, accountIds, d.params);
  },

  /**
   * Each org's page of teams, and each team of the pages with its number of members (the dashboard's
   * `teams { nodes { memberCount } }`): one statement where the member counts would be another level.
   */
  async teamsOfOrgs(
    em: EntityManager,
    orgIds: readonly string[],
    page: ChildPage,
  ): Promise<ChildPages<Team> & { memberCounts: Map<string, number> }> {
    const t = T(em);
    const sql = `select t.*, t.org_id as parent_id from ${t.team} t where ${anyUuid('t.org_id')} and ${AFTER('t.id')}`;
    const memberCount = `(select count(*)::int from ${t.member} m where m.team_id = w.id) as member_count`;
    const { rows, ...res } = await pages(em, Team, sql, orgIds, [], page, memberCount);
    return { ...res, memberCounts: new Map(rows.map((r) => [r.id as string, Number(r.member_count)])) };
  },
  teamCounts(em: EntityManager, orgIds: readonly string[]) {
    const sql = `select t.org_id as parent_id, count(*)::int as n from ${T(em).team} t where ${anyUuid('t.org_id')} group by t.org_id`;
    return counts(em, sql, orgIds);
  },

  membersOfTeams(em: EntityManager, teamIds: readonly string[], page: ChildPage) {
    const t = T(em);
    const sql = `select u.*, m.team_id as parent_id from ${t.member} m
      join ${t.user} u on u.id = m.user_id and u.account_id = m.account_id
      where ${anyUuid('m.team_id')} and ${AFTER('u.id')}`;
    return pages(em, AppUser, sql, teamIds, [], page);
  },
  memberCounts(em: EntityManager, teamIds: readonly string[]) {
    const sql = `select m.team_id as parent_id, count(*)::int as n from ${T(em).member} m
      where ${anyUuid('m.team_id')} group by m.team_id`;
    return counts(em, sql, teamIds);
  },

  /** The teams of every user asked about, in one statement (raw SQL: a join on the membership's composite key, which the entities declare no relation for). */
  async teamsOfUsers(em: EntityManager, userIds: readonly string[]) {
    const t = T(em);
    const rows = await readRows<Record<string, any>>(
      em,
      `select t.*, m.user_id as parent_id from ${t.member} m
        join ${t.team} t on t.id = m.team_id and t.account_id = m.account_id
        where ${anyUuid('m.user_id')} order by m.user_id, t.id`,
      [[...userIds]],
    );
    return byParent(em, Team, rows);
  },

  /** Users of each account's directory, in one tree or both, deactivated ones included. */
  userCountsOfAccounts(em: EntityManager, accountIds: readonly string[], domain: DirectoryDomain | null | undefined) {
    const d = inDomain(domain, 'u.domain');
    const sql = `select u.account_id as parent_id, count(*)::int as n from ${T(em).user} u
      where ${anyUuid('u.account_id')} ${d.sql} group by u.account_id`;
    return counts(em, sql, accountIds, d.params);
  },

  /** Distinct users in at least one of each org's teams (someone in two of its teams counts once). */
  userCountsOfOrgs(em: EntityManager, orgIds: readonly string[]) {
    const t = T(em);
    const sql = `select t.org_id as parent_id, count(distinct m.user_id)::int as n from ${t.team} t
      join ${t.member} m on m.account_id = t.account_id and m.team_id = t.id
      where ${anyUuid('t.org_id')} group by t.org_id`;
    return counts(em, sql, orgIds);
  },

  /**
   * The users matching any (account, lowercase email) or (account, user id)
   * pair, with their team and org ids, active ones first, then Console before
   * Copilot. Raw SQL: `json_agg` subqueries gather each user's teams and orgs
   * in the same statement.
   */
  async usersByCredential(
    em: EntityManager,
    byEmail: readonly [string, string][],
    byId: readonly [string, string][],
  ): Promise<DirectoryUser[]> {
    if (!byEmail.length && !byId.length) return [];
    const t = T(em);
    const where = [
      ...byEmail.map(() => `(u.account_id = ? and lower(u.email) = ?)`),
      ...byId.map(() => `(u.account_id = ? and u.id = ?)`),
    ].join(' or ');
    const rows = await readRows<Record<string, any>>(
      em,
      `select u.id, u.account_id, lower(u.email) as email, u.status,
              coalesce((select json_agg(tm.team_id order by tm.team_id) from ${t.member} tm where tm.user_id = u.id), '[]') as team_ids,
              coalesce((select json_agg(distinct t.org_id) from ${t.member} tm join ${t.team} t on t.id = tm.team_id
                         where tm.user_id = u.id), '[]') as org_ids
         from ${t.user} u where ${where}
        order by (u.status = 'ACTIVE') desc, u.domain, u.id`,
      [...byEmail.flat(), ...byId.flat()],
    );
    return rows.map((r: any) => ({
      id: r.id,
      accountId: r.account_id,
      email: r.email,
      status: r.status,
      teamIds: json<string[]>(r.team_ids),
      orgIds: json<string[]>(r.org_ids),
    }));
  },
};

/** What budgets and catalog ask of the directory (`/internal/directory/scopes`): existence and the place of each node in its tree. */
export const directoryScopeRepository = {
  orgs: async (em: EntityManager, accountId: string, ids: readonly string[]) =>
    ids.length ? em.find(Org, { accountId, id: { $in: [...ids] } }, { fields: ['id', 'domain'], orderBy: { id: 'asc' } }) : [],
  teams: async (em: EntityManager, accountId: string, ids: readonly string[]) =>
    ids.length ? em.find(Team, { accountId, id: { $in: [...ids] } }, { fields: ['id', 'orgId', 'domain'], orderBy: { id: 'asc' } }) : [],
  /** Raw SQL: each user with its teams as a json array, in the order they joined them. */
  async users(em: EntityManager, accountId: string, ids: readonly string[]) {
    if (!ids.length) return [];
    const t = T(em);
    const rows = await em.execute(
      `select u.id, u.domain, u.status,
              coalesce((select json_agg(json_build_object('id', tm.team_id, 'orgId', te.org_id) order by tm.created_at, tm.team_id)
                          from ${t.member} tm join ${t.team} te on te.id = tm.team_id
                         where tm.user_id = u.id and tm.account_id = u.account_id), '[]') as teams
         from ${t.user} u where u.account_id = ? and ${anyUuid('u.id')} order by u.id`,
      [accountId, [...ids]],
    );
    return rows.map((r: any) => ({ id: r.id, domain: r.domain, status: r.status, teams: json<{ id: string; orgId: string }[]>(r.teams) }));
  },
  /** The direct children of a node, id order: the account's orgs of one tree, an org's teams, a team's members. */
  async children(
    em: EntityManager,
    accountId: string,
    node: { scopeType: 'ACCOUNT' | 'ORG' | 'TEAM'; scopeId: string; domain: DirectoryDomain },
  ) {
    if (node.scopeType === 'ACCOUNT') {
      if (node.scopeId !== accountId) return null;
      return (await em.find(Org, { accountId, domain: node.domain }, { fields: ['id'], orderBy: { id: 'asc' } })).map((o) => o.id);
    }
    if (node.scopeType === 'ORG') {
      if (!(await em.findOne(Org, { id: node.scopeId, accountId }, { fields: ['id'] }))) return null;
      return (await em.find(Team, { accountId, orgId: node.scopeId }, { fields: ['id'], orderBy: { id: 'asc' } })).map((t) => t.id);
    }
    if (!(await em.findOne(Team, { id: node.scopeId, accountId }, { fields: ['id'] }))) return null;
    return (await em.find(TeamMember, { accountId, teamId: node.scopeId }, { fields: ['userId'], orderBy: { userId: 'asc' } })).map(
      (m) => m.userId,
    );
  },
};
