import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const RUNTIME_AGENT_STATUSES = ['ACTIVE', 'INACTIVE', 'REVOKED'] as const;
export type RuntimeAgentStatus = (typeof RUNTIME_AGENT_STATUSES)[number];

/** A machine running the Cockpit agent (ID9), known by its Ed25519 public key (canonical base64 of the raw 32 bytes). */
export const RuntimeAgent = defineEntity({
  name: 'RuntimeAgent',
  tableName: 'runtime_agent',
  properties: {
    id: p.uuid().primary(),
    accountId: p.uuid(),
    hostname: p.string(),
    agentVersion: p.string(),
    platform: p.string(),
    publicKey: p.string(),
    status: p.string(),
    registeredAt: p.datetime(),
    lastSeenAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});
export type RuntimeAgent = InferEntity<typeof RuntimeAgent>;

/** A single-use nonce an agent signs in its handshake (ID9); a handshake deletes its row. */
export const AgentChallenge = defineEntity({
  name: 'AgentChallenge',
  tableName: 'agent_challenge',
  properties: {
    nonce: p.string().primary(),
    accountId: p.uuid(),
    agentId: p.uuid(),
    createdAt: p.datetime(),
    expiresAt: p.datetime(),
  },
});
export type AgentChallenge = InferEntity<typeof AgentChallenge>;
