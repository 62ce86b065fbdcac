import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { tableOf } from '@cockpit/kit';
import { AgentChallenge, RuntimeAgent, type RuntimeAgentStatus } from './runtime-agent.entity';

/** Whose agents: one account's, or (null) every account a super admin's platform scope sees. */
const ownedBy = (accountId: string | null) => (accountId ? { accountId } : {});

export const runtimeAgentRepository = {
  /** One of the account's agents (null for another account's), locked for the caller's write with `lock`. */
  find: (em: EntityManager, accountId: string | null, id: string, { lock = false } = {}) =>
    em.findOne(RuntimeAgent, { id, ...ownedBy(accountId) }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {}),

  /** Keyset page by id. */
  page: (em: EntityManager, accountId: string | null, status: RuntimeAgentStatus | null, after: string | null, take: number) =>
    em.find(
      RuntimeAgent,
      { ...ownedBy(accountId), ...(status ? { status } : {}), ...(after ? { id: { $gt: after } } : {}) },
      { orderBy: { id: 'asc' }, limit: take },
    ),

  count: (em: EntityManager, accountId: string | null, status: RuntimeAgentStatus | null) =>
    em.count(RuntimeAgent, { ...ownedBy(accountId), ...(status ? { status } : {}) }),

  /** The gateway's per-request probe by primary key (platform scope). */
  status: (em: EntityManager, id: string) => em.findOne(RuntimeAgent, { id }, { fields: ['status', 'accountId'] }),

  /** Marks a managed agent seen (ACTIVE again if it was INACTIVE). */
  async markSeen(em: EntityManager, agent: RuntimeAgent): Promise<RuntimeAgent> {
    agent.lastSeenAt = new Date();
    agent.status = 'ACTIVE';
    await em.flush();
    return agent;
  },

  dropChallenges: (em: EntityManager, agentId: string) => em.nativeDelete(AgentChallenge, { agentId }),

  /**
   * Sweeps the agent's expired challenges and all but its newest `keep` live ones.
   * Raw SQL: a delete bounded by an ordered `offset` subquery.
   */
  async pruneChallenges(em: EntityManager, agentId: string, keep: number): Promise<void> {
    const T = tableOf(em, AgentChallenge);
    await em.execute(
      `delete from ${T} where agent_id = ? and (expires_at <= now() or nonce in (
         select nonce from ${T} where agent_id = ? order by created_at desc offset ?))`,
      [agentId, agentId, keep],
    );
  },

  addChallenge: (em: EntityManager, challenge: AgentChallenge) => em.insert(AgentChallenge, challenge),

  /**
   * Consumes the agent's challenge: when it existed, its expiry (null otherwise).
   * Raw SQL: `delete … returning`, so two handshakes cannot both consume one nonce.
   */
  async consumeChallenge(em: EntityManager, agentId: string, nonce: string): Promise<Date | null> {
    const [row] = await em.execute(`delete from ${tableOf(em, AgentChallenge)} where nonce = ? and agent_id = ? returning *`, [
      nonce,
      agentId,
    ]);
    return row ? new Date(row.expires_at) : null;
  },
};
