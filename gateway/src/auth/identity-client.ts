import type { KeyObject } from 'node:crypto';
import { callInternal, servicePrincipal } from '@cockpit/kit';

/** POSTs `body` to one of identity's internal routes as the gateway, with a 5 s timeout. */
export type IdentityClient = <T>(path: string, body: unknown, requestId?: string) => Promise<T>;

/** The gateway's one way to ask identity about credentials (keys, account statuses, agents, SSO issuers). */
export function identityClient(identityUrl: () => string, internalKey: KeyObject): IdentityClient {
  return (path, body, requestId) =>
    callInternal({
      url: `${identityUrl().replace(/\/graphql$/, '')}${path}`,
      audience: 'identity',
      key: internalKey,
      principal: servicePrincipal('gateway', requestId),
      body,
      timeoutMs: 5000,
    });
}
