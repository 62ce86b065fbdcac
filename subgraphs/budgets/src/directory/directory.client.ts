import { directoryScopes, type DirectoryScopesAnswer, type DirectoryScopesRequest } from '@cockpit/contracts';
import { CockpitError, type RequestContext } from '@cockpit/kit';

/**
 * The directory is identity's (ID3): budgets keeps no copy of it. Each allocation write, usage
 * write and effective-allocation read asks identity's internal route `/internal/directory/scopes`
 * (through the kit's `ctx.callService`, signed as budgets) which nodes exist in the account and where
 * they sit, so a moved team or a changed membership counts from the next write on, with no replica to
 * keep in step.
 */
export interface DirectoryClient {
  scopes(ctx: RequestContext, req: DirectoryScopesRequest): Promise<DirectoryScopesAnswer>;
}

export function httpDirectoryClient(): DirectoryClient {
  // identical lookups in flight share one call (a burst of usage writes for one user asks once), never a stored answer
  const inFlight = new Map<string, Promise<DirectoryScopesAnswer>>();
  return {
    scopes(ctx, req) {
      const key = JSON.stringify(req);
      let p = inFlight.get(key);
      if (!p) {
        p = ask(ctx, req).finally(() => inFlight.delete(key));
        inFlight.set(key, p);
      }
      return p;
    },
  };
}

async function ask(ctx: RequestContext, req: DirectoryScopesRequest): Promise<DirectoryScopesAnswer> {
  const parsed = directoryScopes.answer(await ctx.callService<unknown>('identity', directoryScopes.path, req));
  if (!parsed.ok) throw new CockpitError('UPSTREAM_ERROR', 'identity answered a malformed directory lookup');
  return parsed.value;
}
