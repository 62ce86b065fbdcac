import DataLoader from 'dataloader';
import { entityReference, notFound, requireUuid, visibleTo, type RequestContext } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { membersOfTeam, orgLoader, teamLoader, teamsOfOrg, teamsOfUser, userLoader } from './directory.loaders';
import { addTeamMember, createOrg, createTeam, createUser } from './directory.service';

/** Loads through the request's DataLoader; missing, malformed and other tenants' ids all answer NOT_FOUND. */
async function readable<T extends { accountId: string }>(
  ctx: RequestContext,
  loader: DataLoader<string, T | null>,
  id: string,
  what: string,
): Promise<T> {
  const row = await loader.load(requireUuid(id, what));
  if (!row || !visibleTo(ctx.principal, row.accountId)) throw notFound(what);
  return row;
}

export const directoryResolvers: Resolvers = {
  Query: {
    org: (_, { id }, ctx) => readable(ctx, orgLoader(ctx), id, 'Org'),
    team: (_, { id }, ctx) => readable(ctx, teamLoader(ctx), id, 'Team'),
    user: (_, { id }, ctx) => readable(ctx, userLoader(ctx), id, 'User'),
  },
  Mutation: {
    createOrg: (_, { input }, ctx) => createOrg(ctx, ctx.account, input),
    createTeam: (_, { input }, ctx) => createTeam(ctx, ctx.account, input),
    createUser: (_, { input }, ctx) => createUser(ctx, ctx.account, input),
    addTeamMember: (_, { input }, ctx) => addTeamMember(ctx, ctx.account, input),
  },
  Org: {
    __resolveReference: entityReference({ action: 'directory.read', load: orgLoader, accountOf: (o) => o.accountId }),
    teams: (org, args, ctx) => teamsOfOrg(ctx).connection(org.id, args),
    teamCount: (org, _, ctx) => teamsOfOrg(ctx).count(org.id),
  },
  Team: {
    __resolveReference: entityReference({ action: 'directory.read', load: teamLoader, accountOf: (t) => t.accountId }),
    org: async (team, _, ctx) => {
      const org = await orgLoader(ctx).load(team.orgId);
      if (!org) throw notFound('Org');
      return org;
    },
    members: (team, args, ctx) => membersOfTeam(ctx).connection(team.id, args),
    memberCount: (team, _, ctx) => membersOfTeam(ctx).count(team.id),
  },
  User: {
    __resolveReference: entityReference({ action: 'directory.read', load: userLoader, accountOf: (u) => u.accountId }),
    teams: (user, _, ctx) => teamsOfUser(ctx, user.id),
  },
};
