import type { KeyObject } from 'node:crypto';
import { directoryScopes, type DirectoryScopesAnswer, type DirectoryScopesRequest } from '@cockpit/contracts';
import { callInternal, CockpitError, servicePrincipal } from '@cockpit/kit';

/**
 * The directory is identity's (ID3): budgets keeps no copy of it. Each allocation write, usage
 * write and effective-allocation read asks identity's internal route `/internal/directory/scopes`
 * (signed as budgets) which nodes exist in the account and where they sit, so a moved team or a
 * changed membership counts from the next write on, with no replica to keep in step.
 */
export interface DirectoryClient {
  scopes(req: DirectoryScopesRequest, requestId: string): Promise<DirectoryScopesAnswer>;
}

export function httpDirectoryClient(opts: { identityUrl?: string | (() => string); serviceKey: KeyObject }): DirectoryClient {
  // identical lookups in flight share one call (a burst of usage writes for one user asks once), never a stored answer
  const inFlight = new Map<string, Promise<DirectoryScopesAnswer>>();
  const client: DirectoryClient = {
    scopes(req, requestId) {
      const key = JSON.stringify(req);
      let p = inFlight.get(key);
      if (!p) {
        p = ask(req, requestId).finally(() => inFlight.delete(key));
        inFlight.set(key, p);
      }
      return p;
    },
  };
  const ask = async (req: DirectoryScopesRequest, requestId: string): Promise<DirectoryScopesAnswer> => {
    const base = typeof opts.identityUrl === 'function' ? opts.identityUrl() : opts.identityUrl;
    if (!base) throw new CockpitError('SERVICE_UNAVAILABLE', 'The directory is not reachable from budgets');
    const answer = await callInternal<unknown>({
      url: `${base.replace(/\/graphql$/, '')}${directoryScopes.path}`,
      audience: 'identity',
      key: opts.serviceKey,
      principal: servicePrincipal('budgets', requestId),
      body: req,
    });
    const parsed = directoryScopes.answer(answer);
    if (!parsed.ok) throw new CockpitError('UPSTREAM_ERROR', 'identity answered a malformed directory lookup');
    return parsed.value;
  };
  return client;
}
