import type { MikroORM } from '@mikro-orm/postgresql';
import { requireService, inTenantTx, invalidRequest, isUuid, type InternalRoute } from '@cockpit/kit';
import type { RuntimeAgentStatus } from './runtime-agent.entity';

export const AGENT_STATUS_PATH = '/internal/agents/status';

/** The gateway's per-request check that an agent session still stands; nulls for an unknown agent. */
export interface AgentStatusAnswer {
  status: RuntimeAgentStatus | null;
  accountId: string | null;
}

/**
 * Revocation is effective immediately because the gateway asks here on every
 * agent request rather than trusting the 15-minute session alone: one probe by
 * primary key, in platform scope (the caller is a service, not a tenant).
 */
export function runtimeAgentRoutes(orm: MikroORM): Record<string, InternalRoute> {
  return {
    [AGENT_STATUS_PATH]: async (body, principal): Promise<AgentStatusAnswer> => {
      requireService(principal, 'ask for agent status');
      const agentId = (body as { agentId?: unknown } | null)?.agentId;
      if (typeof agentId !== 'string') throw invalidRequest('agentId is required', { agentId: 'must be a string' });
      if (!isUuid(agentId)) return { status: null, accountId: null };
      const rows = await inTenantTx(orm.em.fork(), { accountId: null, platform: true }, (em) =>
        em.execute(`select status, account_id from "identity"."runtime_agent" where id = ?`, [agentId.toLowerCase()]),
      );
      return rows.length ? { status: rows[0].status, accountId: rows[0].account_id } : { status: null, accountId: null };
    },
  };
}
