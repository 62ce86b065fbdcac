import { notFound, requireUuid, validationError, type RequestContext } from '@cockpit/kit';
import type { AllocationScope } from '../allocations/allocation.entity';
import type { DirectoryClient } from './directory.client';

const NAMES: Record<AllocationScope, string> = { ORG: 'Org', TEAM: 'Team', USER: 'User' };

/** Where a node of the Copilot tree sits: a team's org; a user's team (named or default) and its org. */
export interface Placed {
  scopeType: AllocationScope;
  scopeId: string;
  orgId: string | null;
  teamId: string | null;
}

/** A user's chain user → team → org (team and org null for a user in no team). */
export interface UserChain {
  userId: string;
  teamId: string | null;
  orgId: string | null;
}

const notCopilot = (field: string) =>
  validationError({ [field]: 'is in the CONSOLE tree; credits are allocated in the COPILOT tree' }, 'Not a node of the Copilot tree');

/**
 * Asks identity where a node sits. An unknown id, a malformed one or another account's answers NOT_FOUND.
 */
export async function placeNode(
  ctx: RequestContext,
  directory: DirectoryClient,
  accountId: string,
  scopeType: AllocationScope,
  rawId: string,
  rawTeamId?: string | null,
): Promise<Placed> {
  const scopeId = requireUuid(rawId, NAMES[scopeType]);
  if (scopeType === 'USER') {
    const chain = await userChain(ctx, directory, accountId, scopeId, rawTeamId);
    return { scopeType, scopeId, orgId: chain.orgId, teamId: chain.teamId };
  }
  const ans = await directory.scopes(ctx, {
    accountId,
    orgIds: scopeType === 'ORG' ? [scopeId] : [],
    teamIds: scopeType === 'TEAM' ? [scopeId] : [],
    userIds: [],
  });
  const node = scopeType === 'ORG' ? ans.orgs[0] : ans.teams[0];
  if (!node) throw notFound(NAMES[scopeType]);
  if (node.domain !== 'COPILOT') throw notCopilot('scopeId');
  return { scopeType, scopeId, orgId: scopeType === 'TEAM' ? ans.teams[0].orgId : null, teamId: null };
}

/**
 * A user's chain (BU4). A user in several teams runs through the team named (VALIDATION_ERROR unless it is one of
 * theirs), else the team they joined first (membership time, then team id, as identity orders them).
 */
export async function userChain(
  ctx: RequestContext,
  directory: DirectoryClient,
  accountId: string,
  rawUserId: string,
  rawTeamId?: string | null,
): Promise<UserChain> {
  const userId = requireUuid(rawUserId, 'User');
  const ans = await directory.scopes(ctx, { accountId, orgIds: [], teamIds: [], userIds: [userId] });
  const user = ans.users[0];
  if (!user) throw notFound('User');
  if (user.domain !== 'COPILOT') throw notCopilot('userId');
  let team: { id: string; orgId: string } | null = user.teams[0] ?? null;
  if (rawTeamId != null) {
    const teamId = rawTeamId.toLowerCase();
    team = user.teams.find((t) => t.id === teamId) ?? null;
    if (!team) throw validationError({ teamId: "is not one of the user's teams" }, "The team is not one of the user's teams");
  }
  return { userId, teamId: team?.id ?? null, orgId: team?.orgId ?? null };
}
