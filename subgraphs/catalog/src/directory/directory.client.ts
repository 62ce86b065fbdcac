import { directoryScopes, type DirectoryScopesAnswer } from '@cockpit/contracts';
import { CockpitError, isUuid, type RequestContext } from '@cockpit/kit';

/** A user as catalog's grants see them: their teams and those teams' orgs. */
export interface DirectoryUserView {
  id: string;
  domain: DirectoryScopesAnswer['users'][number]['domain'];
  teamIds: string[];
  orgIds: string[];
}

/**
 * Catalog learns the directory from identity, which owns it: an internal call
 * (`/internal/directory/scopes`, signed as catalog) answering which of these
 * orgs, teams and users exist in the account, and each user's teams and orgs.
 * Ids of another account are absent from the answer exactly like unknown ones.
 */
export async function directoryScopesOf(
  ctx: RequestContext,
  accountId: string,
  ids: { orgIds?: string[]; teamIds?: string[]; userIds?: string[] },
): Promise<DirectoryScopesAnswer> {
  const answer = await ctx.callService<unknown>('identity', directoryScopes.path, {
    accountId,
    orgIds: ids.orgIds ?? [],
    teamIds: ids.teamIds ?? [],
    userIds: ids.userIds ?? [],
  });
  const parsed = directoryScopes.answer(answer);
  if (!parsed.ok) throw new CockpitError('UPSTREAM_ERROR', 'identity answered a malformed directory');
  return parsed.value;
}

/** A user of the acting account with their teams and orgs, or null: one identity call per batch of users. */
export function directoryUserLoader(ctx: RequestContext, accountId: string) {
  return ctx.loader<string, DirectoryUserView | null>(`directoryUser:${accountId}`, async (userIds) => {
    const ids = [...new Set(userIds.filter(isUuid).map((id) => id.toLowerCase()))];
    const found = ids.length ? (await directoryScopesOf(ctx, accountId, { userIds: ids })).users : [];
    const byId = new Map(
      found.map((u): [string, DirectoryUserView] => [
        u.id,
        { id: u.id, domain: u.domain, teamIds: u.teams.map((t) => t.id), orgIds: [...new Set(u.teams.map((t) => t.orgId))] },
      ]),
    );
    return userIds.map((id) => (isUuid(id) ? (byId.get(id.toLowerCase()) ?? null) : null));
  });
}
