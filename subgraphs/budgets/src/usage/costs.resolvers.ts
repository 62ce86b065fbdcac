import type { Resolvers } from '../__generated__/resolvers-types';
import { requireCallerUserId } from '../directory/caller';
import type { DirectoryClient } from '../directory/directory.client';
import { placementLoader } from '../directory/placement.loader';
import { costBreakdown, ownCostBreakdown } from './costs.service';

/** BU8: the breakdown, with its org, team and user keys as entity references (names come from identity through the gateway). */
export const costsResolvers = (directory: DirectoryClient): Resolvers => ({
  Query: {
    costBreakdown: (_, args, ctx) => costBreakdown(ctx, ctx.account, args),
    myCostBreakdown: (_, args, ctx) => ownCostBreakdown(ctx, ctx.account, requireCallerUserId(ctx), args),
  },
  CostBreakdownRow: {
    // one call to identity for every org, team and user of the breakdown; null for a node deleted since
    org: (r, _, ctx) => (r.orgId ? placementLoader(ctx, directory).load(`ORG:${r.orgId}`) : null),
    team: (r, _, ctx) => (r.teamId ? placementLoader(ctx, directory).load(`TEAM:${r.teamId}`) : null),
    user: (r, _, ctx) => (r.userId ? placementLoader(ctx, directory).load(`USER:${r.userId}`) : null),
  },
});
