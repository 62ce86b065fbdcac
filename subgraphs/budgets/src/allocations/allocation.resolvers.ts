import { entityReference, notFound, type RequestContext } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { requireCallerUserId } from '../directory/caller';
import { userChain } from '../directory/chain';
import type { DirectoryClient } from '../directory/directory.client';
import { placementLoader, type Placement } from '../directory/placement.loader';
import {
  allocateCredits,
  budgetNode,
  chainFigures,
  distributeEqually,
  effectiveAllocation,
  nodeFigures,
  removeAllocation,
} from './allocation.service';
import type { NodeFigures } from './allocation.repository';

/** An org, team or user reference (identity owns them): placed by identity, null when not the acting account's. */
const directoryReference = (directory: DirectoryClient, scopeType: Placement['scopeType']) =>
  entityReference<Placement>({
    action: 'allocation.read',
    load: (ctx) => {
      const l = placementLoader(ctx, directory);
      return { load: (id: string) => l.load(`${scopeType}:${id}`) } as never;
    },
    accountOf: (p) => p.accountId,
  });

/** A node's `budget`: its figures in the current cycle (or `cycle`); null outside the Copilot tree (allocations are Copilot's). */
const budgetOf = (p: Placement, args: { cycle?: Date | null }, ctx: RequestContext) =>
  p.domain === 'COPILOT' ? nodeFigures(ctx, p.accountId, p, args.cycle ? new Date(args.cycle) : null) : null;

export const allocationResolvers = (directory: DirectoryClient): Resolvers => ({
  Query: {
    budgetNode: (_, { scopeType, scopeId, cycle }, ctx) =>
      budgetNode(ctx, directory, ctx.account, scopeType, scopeId, cycle ? new Date(cycle) : null),
    effectiveAllocation: async (_, { userId, teamId }, ctx) =>
      effectiveAllocation(ctx, ctx.account, await userChain(ctx, directory, ctx.account, userId, teamId)),
    myEffectiveAllocation: async (_, { teamId }, ctx) =>
      effectiveAllocation(ctx, ctx.account, await userChain(ctx, directory, ctx.account, requireCallerUserId(ctx), teamId)),
  },
  Org: { __resolveReference: directoryReference(directory, 'ORG'), budget: budgetOf },
  Team: { __resolveReference: directoryReference(directory, 'TEAM'), budget: budgetOf },
  User: { __resolveReference: directoryReference(directory, 'USER'), budget: budgetOf },
  BudgetNode: {
    // the nearest explicit level of the node's chain (a user's through the team they joined first)
    effective: async (node: NodeFigures, _, ctx) => {
      if (node.scopeType === 'ACCOUNT') return (await chainFigures(ctx, node.accountId, null)).source;
      const p = await placementLoader(ctx, directory).load(`${node.scopeType}:${node.scopeId}`);
      if (!p) throw notFound(node.scopeType === 'ORG' ? 'Org' : node.scopeType === 'TEAM' ? 'Team' : 'User');
      const chain = { userId: p.scopeId, teamId: p.teamId, orgId: p.orgId };
      const figures = await chainFigures(ctx, node.accountId, chain, node.scopeType);
      return figures.source;
    },
  },
  Mutation: {
    allocateCredits: (_, { input }, ctx) => allocateCredits(ctx, directory, ctx.account, input),
    setAllocationOverride: (_, { input }, ctx) =>
      allocateCredits(ctx, directory, ctx.account, { ...input, scopeType: 'USER', scopeId: input.userId }, { override: input.override }),
    distributeCreditsEqually: (_, { input }, ctx) => distributeEqually(ctx, directory, ctx.account, input),
    removeAllocation: (_, { input }, ctx) => removeAllocation(ctx, directory, ctx.account, input),
  },
});
