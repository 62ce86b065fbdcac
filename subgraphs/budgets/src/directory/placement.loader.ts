import type { RequestContext } from '@cockpit/kit';
import type { AllocationScope } from '../allocations/allocation.entity';
import type { DirectoryClient } from './directory.client';

/** A directory node of the acting account as identity places it (BU4's default team for a user). */
export interface Placement {
  /** The node's id (federation's key), as scopeId. */
  id: string;
  accountId: string;
  scopeType: AllocationScope;
  scopeId: string;
  domain: 'COPILOT' | 'CONSOLE';
  teamId: string | null;
  orgId: string | null;
}

/**
 * Batched: every org, team and user a request resolves (the `budget` of a list of users…) is placed by one call
 * to identity. Unknown ids and other accounts' answer null.
 */
export function placementLoader(ctx: RequestContext, directory: DirectoryClient) {
  return ctx.loader<string, Placement | null>('placement', async (keys) => {
    const accountId = ctx.accountId;
    if (!accountId) return keys.map(() => null);
    const ids = (t: string) => keys.filter((k) => k.startsWith(`${t}:`)).map((k) => k.slice(t.length + 1));
    const ans = await directory.scopes(ctx, { accountId, orgIds: ids('ORG'), teamIds: ids('TEAM'), userIds: ids('USER') });
    const found = new Map<string, Placement>();
    for (const o of ans.orgs)
      found.set(`ORG:${o.id}`, { id: o.id, accountId, scopeType: 'ORG', scopeId: o.id, domain: o.domain, teamId: null, orgId: null });
    for (const t of ans.teams)
      found.set(`TEAM:${t.id}`, { id: t.id, accountId, scopeType: 'TEAM', scopeId: t.id, domain: t.domain, teamId: null, orgId: t.orgId });
    for (const u of ans.users)
      found.set(`USER:${u.id}`, {
        id: u.id,
        accountId,
        scopeType: 'USER',
        scopeId: u.id,
        domain: u.domain,
        teamId: u.teams[0]?.id ?? null,
        orgId: u.teams[0]?.orgId ?? null,
      });
    return keys.map((k) => found.get(k) ?? null);
  });
}
