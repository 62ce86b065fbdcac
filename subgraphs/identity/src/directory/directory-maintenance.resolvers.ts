import { authorize, requireAccount, type RequestContext } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { authorizeOn } from '../shared/access';
import { orgCountOfAccount, userCountOfAccount, userCountOfOrg } from './directory-counts';
import { moveTeam, removeTeamMember, setUserStatus } from './directory-maintenance.service';

const writer = (ctx: RequestContext) => requireAccount(authorize(ctx.principal, 'directory.write'));

/** Directory maintenance (ID3) and the tree's batched counts. */
export const directoryMaintenanceResolvers: Resolvers = {
  Mutation: {
    moveTeam: (_, a, ctx) => moveTeam(ctx, writer(ctx), a.teamId, a.orgId),
    removeTeamMember: (_, a, ctx) => removeTeamMember(ctx, writer(ctx), a.teamId, a.userId),
    deactivateUser: (_, { id }, ctx) => setUserStatus(ctx, writer(ctx), id, 'DEACTIVATED'),
    reactivateUser: (_, { id }, ctx) => setUserStatus(ctx, writer(ctx), id, 'ACTIVE'),
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
