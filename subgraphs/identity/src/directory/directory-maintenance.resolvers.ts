import { authorizeOn } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { orgCountOfAccount, userCountOfAccount, userCountOfOrg } from './directory-counts';
import { moveTeam, removeTeamMember, renameOrg, setUserStatus } from './directory-maintenance.service';

/** Directory maintenance (ID3) and the tree's batched counts. */
export const directoryMaintenanceResolvers: Resolvers = {
  Mutation: {
    renameOrg: (_, { id, name }, ctx) => renameOrg(ctx, ctx.account, id, name),
    moveTeam: (_, a, ctx) => moveTeam(ctx, ctx.account, a.teamId, a.orgId),
    removeTeamMember: (_, a, ctx) => removeTeamMember(ctx, ctx.account, a.teamId, a.userId),
    deactivateUser: (_, { id }, ctx) => setUserStatus(ctx, ctx.account, id, 'DEACTIVATED'),
    reactivateUser: (_, { id }, ctx) => setUserStatus(ctx, ctx.account, id, 'ACTIVE'),
  },
  Account: {
    orgCount: (account, { domain }, ctx) => {
      authorizeOn(ctx.principal, 'directory.read', account.id, 'Account');
      return orgCountOfAccount(ctx, account.id, domain);
    },
    userCount: (account, { domain }, ctx) => {
      authorizeOn(ctx.principal, 'directory.read', account.id, 'Account');
      return userCountOfAccount(ctx, account.id, domain);
    },
  },
  Org: {
    // the Org itself was loaded through a tenant-checked loader
    userCount: (org, _, ctx) => userCountOfOrg(ctx, org.id),
  },
};
