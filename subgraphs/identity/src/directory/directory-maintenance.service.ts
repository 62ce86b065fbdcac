import { defineEvents, notFound, type RequestContext, requireUuid, trimmed, uniqueOrConflict, validationError } from '@cockpit/kit';
import type { AppUser, Org, Team, DirectoryDomain } from './directory.entity';
import { directoryRepository as repo } from './directory.repository';

export type UserStatus = 'ACTIVE' | 'DEACTIVATED';

/**
 * The audit events these writes record, declared beside them. Directory events carry the domain
 * (COPILOT / CONSOLE) of the tree they belong to, so none is fixed here.
 */
export const directoryMaintenanceEvents = defineEvents({
  'org.renamed': { subject: 'Org', payload: ['before', 'after'] },
  'team.moved': { subject: 'Team', payload: ['name', 'fromOrgId', 'toOrgId'] },
  'team.member_removed': { subject: 'Team', payload: ['userId'] },
  'user.deactivated': { subject: 'User', payload: ['email'] },
  'user.reactivated': { subject: 'User', payload: ['email'] },
});

/** Renames an org; names stay unique per tree (case-insensitive), which the unique index decides under concurrency. */
export async function renameOrg(ctx: RequestContext, accountId: string, orgId: string, newName: string): Promise<Org> {
  const oid = requireUuid(orgId, 'Org');
  const name = trimmed(newName);
  if (name.length < 1 || name.length > 100) throw validationError({ name: 'must be 1 to 100 characters' });
  return uniqueOrConflict(
    () =>
      ctx.write(async ({ em, audit, unchanged }) => {
        const org = await repo.org(em, accountId, oid, { lock: true });
        if (!org) throw notFound('Org');
        if (org.name === name) return unchanged(org);
        const before = org.name;
        org.name = name;
        await em.flush();
        await audit({
          type: 'org.renamed',
          domain: org.domain as DirectoryDomain,
          subject: { type: 'Org', id: org.id },
          payload: { before, after: name },
        });
        return org;
      }),
    'An org with this name already exists in this domain',
    { name: 'already taken in this domain' },
  );
}

/**
 * Moves a team (with its memberships) to another org of the same account and
 * tree. The composite foreign key (account_id, org_id, domain) would refuse a
 * cross-tree move anyway; checking first turns it into VALIDATION_ERROR.
 */
export async function moveTeam(ctx: RequestContext, accountId: string, teamId: string, orgId: string): Promise<Team> {
  const tid = requireUuid(teamId, 'Team');
  const oid = requireUuid(orgId, 'Org');
  return uniqueOrConflict(
    () =>
      ctx.write(async ({ em, audit, unchanged }) => {
        const team = await repo.team(em, accountId, tid, { lock: true });
        if (!team) throw notFound('Team');
        const org = await repo.org(em, accountId, oid);
        if (!org) throw notFound('Org');
        if (org.domain !== team.domain)
          throw validationError({ orgId: `the org is in the ${org.domain} directory, the team in ${team.domain}` });
        if (team.orgId === org.id) return unchanged(team);
        const fromOrgId = team.orgId;
        team.orgId = org.id;
        await em.flush();
        await audit({
          accountId,
          type: 'team.moved',
          domain: team.domain as DirectoryDomain,
          subject: { type: 'Team', id: team.id },
          payload: { name: team.name, fromOrgId, toOrgId: org.id },
        });
        return team;
      }),
    'A team with this name already exists in the target org',
    { name: 'already taken in the target org' },
  );
}

/** Takes a user out of a team; NOT_FOUND for an unknown team or user, or a user who is not a member. */
export async function removeTeamMember(ctx: RequestContext, accountId: string, teamId: string, userId: string): Promise<Team> {
  const tid = requireUuid(teamId, 'Team');
  const uid = requireUuid(userId, 'User');
  return ctx.write(async ({ em, audit }) => {
    const team = await repo.team(em, accountId, tid);
    if (!team) throw notFound('Team');
    if (!(await repo.user(em, accountId, uid))) throw notFound('User');
    if (!(await repo.removeMember(em, accountId, tid, uid))) throw notFound('TeamMember');
    await audit({
      accountId,
      type: 'team.member_removed',
      domain: team.domain as DirectoryDomain,
      subject: { type: 'Team', id: tid },
      payload: { userId: uid },
    });
    return team;
  });
}

/**
 * Deactivates or reactivates a user. Memberships stay (reactivation restores
 * them); the user's API keys stop working because the key lookup reports
 * `userStatus` and the gateway refuses DEACTIVATED. Setting the status the user
 * already has is a no-op without an event.
 */
export async function setUserStatus(ctx: RequestContext, accountId: string, id: string, status: UserStatus): Promise<AppUser> {
  const uid = requireUuid(id, 'User');
  return ctx.write(async ({ em, audit, unchanged }) => {
    const user = await repo.user(em, accountId, uid, { lock: true });
    if (!user) throw notFound('User');
    if (user.status === status) return unchanged(user);
    user.status = status;
    await em.flush();
    await audit({
      accountId,
      type: status === 'DEACTIVATED' ? 'user.deactivated' : 'user.reactivated',
      domain: user.domain as DirectoryDomain,
      subject: { type: 'User', id: uid },
      payload: { email: user.email },
    });
    return user;
  });
}
