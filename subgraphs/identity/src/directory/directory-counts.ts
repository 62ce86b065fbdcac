import { anyUuid } from '@cockpit/kit';
import type { RequestContext } from '@cockpit/kit';
import type { DirectoryDomain } from './directory.entity';
import { orgsOfAccount } from './directory.loaders';

/*
 * Counts for the directory tree, one grouped statement per level whatever the
 * number of parents (the same scheme as directory.loaders.ts). Org and team
 * counts reuse that file's count loaders, so `orgs { totalCount }` and
 * `orgCount` asked together cost one statement.
 */

function countLoader(ctx: RequestContext, name: string, sql: string, extra: unknown[] = []) {
  return ctx.loader<string, number>(name, async (parents) => {
    const rows = await ctx.read((em) => em.execute(sql, [[...parents], ...extra]));
    const by = new Map(rows.map((r: any) => [r.parent_id as string, Number(r.n)]));
    return parents.map((p) => by.get(p) ?? 0);
  });
}

export const orgCountOfAccount = (ctx: RequestContext, accountId: string, domain: DirectoryDomain | null | undefined) =>
  orgsOfAccount(ctx, domain).count(accountId);

/** Users of the account's directory, in one tree or both, deactivated ones included. */
export function userCountOfAccount(ctx: RequestContext, accountId: string, domain: DirectoryDomain | null | undefined): Promise<number> {
  const byDomain = domain ? `and u.domain = ?` : '';
  return countLoader(
    ctx,
    `usersOfAccount:${domain ?? '*'}:count`,
    `select u.account_id as parent_id, count(*)::int as n from "identity"."app_user" u
      where ${anyUuid('u.account_id')} ${byDomain} group by u.account_id`,
    domain ? [domain] : [],
  ).load(accountId);
}

/** Distinct users in at least one of the org's teams (someone in two of its teams counts once). */
export function userCountOfOrg(ctx: RequestContext, orgId: string): Promise<number> {
  return countLoader(
    ctx,
    'usersOfOrg:count',
    `select t.org_id as parent_id, count(distinct m.user_id)::int as n from "identity"."team" t
      join "identity"."team_member" m on m.account_id = t.account_id and m.team_id = t.id
      where ${anyUuid('t.org_id')} group by t.org_id`,
  ).load(orgId);
}
