import type { MikroORM } from '@mikro-orm/postgresql';
import { agentStatus } from '@cockpit/contracts';
import { inTenantTx, isUuid, type InternalRoute } from '@cockpit/kit';
import { gatewayRoute } from '../gateway-contract/route';

export const AGENT_STATUS_PATH = agentStatus.path;
export type { AgentStatusAnswer } from '@cockpit/contracts';

/**
 * Revocation is effective immediately because the gateway asks here on every
 * agent request rather than trusting the 15-minute session alone: one probe by
 * primary key, in platform scope (the caller is a service, not a tenant).
 */
export function runtimeAgentRoutes(orm: MikroORM): Record<string, InternalRoute> {
  return gatewayRoute(agentStatus, async ({ agentId }) => {
    if (!isUuid(agentId)) return { status: null, accountId: null };
    const rows = await inTenantTx(orm.em.fork(), { accountId: null, platform: true }, (em) =>
      em.execute(`select status, account_id from "identity"."runtime_agent" where id = ?`, [agentId.toLowerCase()]),
    );
    return rows.length ? { status: rows[0].status, accountId: rows[0].account_id } : { status: null, accountId: null };
  });
}
