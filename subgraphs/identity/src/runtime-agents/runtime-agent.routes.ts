import type { MikroORM } from '@mikro-orm/postgresql';
import { agentStatus } from '@cockpit/contracts';
import { inPlatformTx, isUuid, type InternalRoute } from '@cockpit/kit';
import type { RuntimeAgentStatus } from './runtime-agent.entity';
import { gatewayRoute } from '../gateway-contract/route';
import { runtimeAgentRepository } from './runtime-agent.repository';

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
    const agent = await inPlatformTx(orm, (em) => runtimeAgentRepository.status(em, agentId.toLowerCase()));
    return agent ? { status: agent.status as RuntimeAgentStatus, accountId: agent.accountId } : { status: null, accountId: null };
  });
}
