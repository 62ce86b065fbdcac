import type { MikroORM } from '@mikro-orm/postgresql';
import { ssoIssuers } from '@cockpit/contracts';
import { inPlatformTx, type InternalRoute } from '@cockpit/kit';
import { gatewayRoute } from '../gateway-contract/route';
import { ssoRepository } from './sso.repository';

export const SSO_ISSUERS_PATH = ssoIssuers.path;
export type { SsoIssuersAnswer as SsoIssuerAnswer } from '@cockpit/contracts';

/**
 * The enabled per-account issuers, for the gateway's cache (refreshed every 30 s):
 * platform scope, since the caller is a service. Deleted accounts are left out;
 * suspended ones stay so the gateway can say why it refuses their users.
 * `audience` falls back to the client id so tokens are never audience-free.
 */
export function ssoRoutes(orm: MikroORM): Record<string, InternalRoute> {
  return gatewayRoute(ssoIssuers, async () => ({ issuers: await inPlatformTx(orm, (em) => ssoRepository.trustedIssuers(em)) }));
}
