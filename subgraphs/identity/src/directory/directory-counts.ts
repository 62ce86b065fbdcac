import type { RequestContext } from '@cockpit/kit';
import type { DirectoryDomain } from './directory.entity';
import { countLoader, orgsOfAccount } from './directory.loaders';
import { directoryRepository as repo } from './directory.repository';

/*
 * Counts for the directory tree, one grouped statement per level whatever the
 * number of parents (the same scheme as directory.loaders.ts). Org and team
 * counts reuse that file's count loaders, so `orgs { totalCount }` and
 * `orgCount` asked together cost one statement.
 */

export const orgCountOfAccount = (ctx: RequestContext, accountId: string, domain: DirectoryDomain | null | undefined) =>
  orgsOfAccount(ctx, domain).count(accountId);

/** Users of the account's directory, in one tree or both, deactivated ones included. */
export const userCountOfAccount = (ctx: RequestContext, accountId: string, domain: DirectoryDomain | null | undefined) =>
  countLoader(ctx, `usersOfAccount:${domain ?? '*'}:count`, (em, parents) => repo.userCountsOfAccounts(em, parents, domain)).load(
    accountId,
  );

/** Distinct users in at least one of the org's teams (someone in two of its teams counts once). */
export const userCountOfOrg = (ctx: RequestContext, orgId: string) =>
  countLoader(ctx, 'usersOfOrg:count', repo.userCountsOfOrgs).load(orgId);
