import type { KeyObject } from 'node:crypto';
import type { RouteContract } from '@cockpit/contracts';
import { callInternal, CockpitError, GATEWAY_ISSUER, servicePrincipal, type Tracing } from '@cockpit/kit/edge';

/** POSTs a contract's request to identity as the gateway (5 s timeout) and checks the answer against the contract. */
export type IdentityClient = <Req, Ans>(route: RouteContract<Req, Ans>, body: Req, requestId?: string) => Promise<Ans>;

/** The gateway's one way to ask identity about credentials (keys, account statuses, agents, SSO issuers, directory users). */
export function identityClient(identityUrl: () => string, internalKey: KeyObject, tracing?: Tracing): IdentityClient {
  return async (route, body, requestId) => {
    const answer = await callInternal<unknown>({
      url: `${identityUrl().replace(/\/graphql$/, '')}${route.path}`,
      audience: 'identity',
      key: internalKey,
      principal: servicePrincipal(GATEWAY_ISSUER, requestId),
      body,
      timeoutMs: 5000,
      tracing,
    });
    const parsed = route.answer(answer);
    // a credential is never judged on an answer of the wrong shape
    if (!parsed.ok) throw new CockpitError('UPSTREAM_ERROR', `identity answered ${route.path} in an unexpected shape`);
    return parsed.value;
  };
}
