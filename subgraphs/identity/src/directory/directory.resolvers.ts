import DataLoader from 'dataloader';
import { authorize, notFound, requireAccount, type RequestContext } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { requireUuid, visible } from '../shared/access';
import { membersOfTeam, orgLoader, teamLoader, teamsOfOrg, teamsOfUser, userLoader } from './directory.loaders';
import { addTeamMember, createOrg, createTeam, createUser } from './directory.service';

/** Loads through the request's DataLoader; missing, malformed and other tenants' ids all answer NOT_FOUND. */
async function readable<T extends { accountId: string }>(
  ctx: RequestContext,
  loader: DataLoader<string, T | null>,
  id: string,
  what: string,
): Promise<T> {
  authorize(ctx.principal, 'directory.read');
  const row = await loader.load(requireUuid(id, what));
  if (!row || !visible(ctx.principal, row.accountId)) throw notFound(what);
  return row;
}

const writer = (ctx: RequestContext) => requireAccount(authorize(ctx.principal, 'directory.write'));

export const directoryResolvers: Resolvers = {
  Query: {
    org: (_, { id }, ctx) => readable(ctx, orgLoader(ctx), id, 'Org'),
    team: (_, { id }, ctx) => readable(ctx, teamLoader(ctx), id, 'Team'),
    user: (_, { id }, ctx) => readable(ctx, userLoader(ctx), id, 'User'),
  },
  Mutation: {
    createOrg: (_, { input }, ctx) => createOrg(ctx, writer(ctx), input),
    createTeam: (_, { input }, ctx) => createTeam(ctx, writer(ctx), input),
    createUser: (_, { input }, ctx) => createUser(ctx, writer(ctx), input),
    addTeamMember: (_, { input }, ctx) => addTeamMember(ctx, writer(ctx), input),
  },
  Org: {
    __resolveReference: (ref, ctx) => readable(ctx, orgLoader(ctx), ref.id, 'Org'),
    teams: (org, args, ctx) => teamsOfOrg(ctx).connection(org.id, args),
    teamCount: (org, _, ctx) => teamsOfOrg(ctx).count(org.id),
  },
  Team: {
    __resolveReference: (ref, ctx) => readable(ctx, teamLoader(ctx), ref.id, 'Team'),
    org: async (team, _, ctx) => {
      const org = await orgLoader(ctx).load(team.orgId);
      if (!org) throw notFound('Org');
      return org;
    },
    members: (team, args, ctx) => membersOfTeam(ctx).connection(team.id, args),
    memberCount: (team, _, ctx) => membersOfTeam(ctx).count(team.id),
  },
  User: {
    __resolveReference: (ref, ctx) => readable(ctx, userLoader(ctx), ref.id, 'User'),
    teams: (user, _, ctx) => teamsOfUser(ctx, user.id),
  },
};
