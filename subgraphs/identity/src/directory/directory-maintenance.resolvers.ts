import { authorize, requireAccount, type RequestContext } from '@cockpit/kit';
import { authorizeOn } from '../shared/access';
import type { Account } from '../accounts/account.entity';
import type { DirectoryDomain, Org } from './directory.entity';
import { orgCountOfAccount, userCountOfAccount, userCountOfOrg } from './directory-counts';
import { moveTeam, removeTeamMember, setUserStatus } from './directory-maintenance.service';

const writer = (ctx: RequestContext) => requireAccount(authorize(ctx.principal, 'directory.write'));

/** Directory maintenance (ID3) and the tree's batched counts. */
export const directoryMaintenanceResolvers = {
  Mutation: {
    moveTeam: (_: unknown, a: { teamId: string; orgId: string }, ctx: RequestContext) => moveTeam(ctx, writer(ctx), a.teamId, a.orgId),
    removeTeamMember: (_: unknown, a: { teamId: string; userId: string }, ctx: RequestContext) =>
      removeTeamMember(ctx, writer(ctx), a.teamId, a.userId),
    deactivateUser: (_: unknown, { id }: { id: string }, ctx: RequestContext) => setUserStatus(ctx, writer(ctx), id, 'DEACTIVATED'),
    reactivateUser: (_: unknown, { id }: { id: string }, ctx: RequestContext) => setUserStatus(ctx, writer(ctx), id, 'ACTIVE'),
  },
  Account: {
    orgCount: (account: Account, { domain }: { domain?: DirectoryDomain | null }, ctx: RequestContext) => {
      authorizeOn(ctx.principal, 'directory.read', account.id, 'Account');
      return orgCountOfAccount(ctx, account.id, domain);
    },
    userCount: (account: Account, { domain }: { domain?: DirectoryDomain | null }, ctx: RequestContext) => {
      authorizeOn(ctx.principal, 'directory.read', account.id, 'Account');
      return userCountOfAccount(ctx, account.id, domain);
    },
  },
  Org: {
    // the Org itself was loaded through a tenant-checked loader
    userCount: (org: Org, _: unknown, ctx: RequestContext) => userCountOfOrg(ctx, org.id),
  },
};
