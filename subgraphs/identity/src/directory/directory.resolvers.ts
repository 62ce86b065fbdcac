import DataLoader from 'dataloader';
import { authorize, notFound, requireAccount, type ConnectionArgs, type RequestContext } from '@cockpit/kit';
import { requireUuid, visible } from '../shared/access';
import type { AppUser, Org, Team } from './directory.entity';
import { membersOfTeam, orgLoader, teamLoader, teamsOfOrg, teamsOfUser, userLoader } from './directory.loaders';
import {
  addTeamMember,
  createOrg,
  createTeam,
  createUser,
  type AddTeamMemberInput,
  type CreateOrgInput,
  type CreateTeamInput,
  type CreateUserInput,
} from './directory.service';

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

export const directoryResolvers = {
  Query: {
    org: (_: unknown, { id }: { id: string }, ctx: RequestContext) => readable(ctx, orgLoader(ctx), id, 'Org'),
    team: (_: unknown, { id }: { id: string }, ctx: RequestContext) => readable(ctx, teamLoader(ctx), id, 'Team'),
    user: (_: unknown, { id }: { id: string }, ctx: RequestContext) => readable(ctx, userLoader(ctx), id, 'User'),
  },
  Mutation: {
    createOrg: (_: unknown, { input }: { input: CreateOrgInput }, ctx: RequestContext) => createOrg(ctx, writer(ctx), input),
    createTeam: (_: unknown, { input }: { input: CreateTeamInput }, ctx: RequestContext) => createTeam(ctx, writer(ctx), input),
    createUser: (_: unknown, { input }: { input: CreateUserInput }, ctx: RequestContext) => createUser(ctx, writer(ctx), input),
    addTeamMember: (_: unknown, { input }: { input: AddTeamMemberInput }, ctx: RequestContext) => addTeamMember(ctx, writer(ctx), input),
  },
  Org: {
    __resolveReference: (ref: { id: string }, ctx: RequestContext) => readable(ctx, orgLoader(ctx), ref.id, 'Org'),
    teams: (org: Org, args: ConnectionArgs, ctx: RequestContext) => teamsOfOrg(ctx).connection(org.id, args),
    teamCount: (org: Org, _: unknown, ctx: RequestContext) => teamsOfOrg(ctx).count(org.id),
  },
  Team: {
    __resolveReference: (ref: { id: string }, ctx: RequestContext) => readable(ctx, teamLoader(ctx), ref.id, 'Team'),
    org: async (team: Team, _: unknown, ctx: RequestContext) => {
      const org = await orgLoader(ctx).load(team.orgId);
      if (!org) throw notFound('Org');
      return org;
    },
    members: (team: Team, args: ConnectionArgs, ctx: RequestContext) => membersOfTeam(ctx).connection(team.id, args),
    memberCount: (team: Team, _: unknown, ctx: RequestContext) => membersOfTeam(ctx).count(team.id),
  },
  User: {
    __resolveReference: (ref: { id: string }, ctx: RequestContext) => readable(ctx, userLoader(ctx), ref.id, 'User'),
    teams: (user: AppUser, _: unknown, ctx: RequestContext) => teamsOfUser(ctx, user.id),
  },
};
