import {
  type FieldDetails,
  isEmail,
  notFound,
  type RequestContext,
  requireUuid,
  trimmed,
  uniqueOrConflict,
  uuidv7,
  validationError,
} from '@cockpit/kit';
import { AppUser, DIRECTORY_DOMAINS, Org, Team, TeamMember, type DirectoryDomain } from './directory.entity';
import { directoryRepository as repo } from './directory.repository';

export interface CreateOrgInput {
  name: string;
  domain: DirectoryDomain;
}
export interface CreateTeamInput {
  orgId: string;
  name: string;
}
export interface CreateUserInput {
  email: string;
  displayName: string;
  domain: DirectoryDomain;
}
export interface AddTeamMemberInput {
  teamId: string;
  userId: string;
}

function check(details: FieldDetails): void {
  if (Object.keys(details).length) throw validationError(details);
}
const nameProblem = (s: string) => (s.length < 1 || s.length > 100 ? 'must be 1 to 100 characters' : undefined);
const domainProblem = (d: string) =>
  (DIRECTORY_DOMAINS as readonly string[]).includes(d) ? undefined : `must be one of ${DIRECTORY_DOMAINS.join(', ')}`;
const clean = (d: Record<string, string | undefined>): FieldDetails =>
  Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)) as FieldDetails;

/** Creates an org in one of the account's two trees; names are unique per tree (case-insensitive). */
export async function createOrg(ctx: RequestContext, accountId: string, input: CreateOrgInput): Promise<Org> {
  const name = trimmed(input.name);
  check(clean({ name: nameProblem(name), domain: domainProblem(input.domain) }));
  return uniqueOrConflict(
    () =>
      ctx.write(async ({ em, audit }) => {
        const org = em.create(Org, { id: uuidv7(), accountId, name, domain: input.domain, createdAt: new Date() });
        await em.flush();
        await audit({
          accountId,
          type: 'org.created',
          domain: input.domain,
          subject: { type: 'Org', id: org.id },
          payload: { name },
        });
        return org;
      }),
    'An org with this name already exists in this domain',
    { name: 'already taken in this domain' },
  );
}

/** Creates a team under an org of the account; the team belongs to its org's domain. */
export async function createTeam(ctx: RequestContext, accountId: string, input: CreateTeamInput): Promise<Team> {
  const name = trimmed(input.name);
  check(clean({ name: nameProblem(name) }));
  const orgId = requireUuid(input.orgId, 'Org');
  return uniqueOrConflict(
    () =>
      ctx.write(async ({ em, audit }) => {
        const org = await repo.org(em, accountId, orgId);
        if (!org) throw notFound('Org');
        const team = em.create(Team, { id: uuidv7(), accountId, orgId, domain: org.domain, name, createdAt: new Date() });
        await em.flush();
        await audit({
          accountId,
          type: 'team.created',
          domain: org.domain as DirectoryDomain,
          subject: { type: 'Team', id: team.id },
          payload: { name, orgId },
        });
        return team;
      }),
    'A team with this name already exists in this org',
    { name: 'already taken in this org' },
  );
}

/** Creates a user in one tree; an email appears once per tree. */
export async function createUser(ctx: RequestContext, accountId: string, input: CreateUserInput): Promise<AppUser> {
  const email = trimmed(input.email).toLowerCase();
  const displayName = trimmed(input.displayName);
  check(
    clean({
      email: isEmail(email) ? undefined : 'must be an email address',
      displayName: nameProblem(displayName),
      domain: domainProblem(input.domain),
    }),
  );
  return uniqueOrConflict(
    () =>
      ctx.write(async ({ em, audit }) => {
        const user = em.create(AppUser, {
          id: uuidv7(),
          accountId,
          email,
          displayName,
          domain: input.domain,
          status: 'ACTIVE',
          createdAt: new Date(),
        });
        await em.flush();
        await audit({
          accountId,
          type: 'user.created',
          domain: input.domain,
          subject: { type: 'User', id: user.id },
          payload: { email, displayName },
        });
        return user;
      }),
    'A user with this email already exists in this domain',
    { email: 'already taken in this domain' },
  );
}

/** Adds a user to a team of the same tree; the two trees never mix. */
export async function addTeamMember(ctx: RequestContext, accountId: string, input: AddTeamMemberInput): Promise<Team> {
  const teamId = requireUuid(input.teamId, 'Team');
  const userId = requireUuid(input.userId, 'User');
  return uniqueOrConflict(
    () =>
      ctx.write(async ({ em, audit }) => {
        const team = await repo.team(em, accountId, teamId);
        if (!team) throw notFound('Team');
        const user = await repo.user(em, accountId, userId);
        if (!user) throw notFound('User');
        if (user.domain !== team.domain)
          throw validationError({ userId: `user is in the ${user.domain} directory, the team in ${team.domain}` });
        em.create(TeamMember, { accountId, teamId, userId, domain: team.domain, createdAt: new Date() });
        await em.flush();
        await audit({
          accountId,
          type: 'team.member_added',
          domain: team.domain as DirectoryDomain,
          subject: { type: 'Team', id: teamId },
          payload: { userId },
        });
        return team;
      }),
    'The user is already a member of this team',
    { userId: 'already a member of this team' },
  );
}
