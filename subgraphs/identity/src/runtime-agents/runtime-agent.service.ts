import type { KeyObject } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type ConnectionArgs,
  type FieldDetails,
  forbidden,
  notFound,
  type RequestContext,
  requireUuid,
  signAgentSession,
  paginate,
  trimmed,
  unauthorized,
  uniqueOrConflict,
  uuidv7,
  validationError,
} from '@cockpit/kit';
import { CHALLENGE_TTL_SECONDS, newNonce, parsePublicKey, RUNTIME_ID_PREFIX, verifyHandshake } from './agent-session';
import { RUNTIME_AGENT_STATUSES, RuntimeAgent, type RuntimeAgentStatus } from './runtime-agent.entity';
import { runtimeAgentRepository } from './runtime-agent.repository';

export interface RegisterRuntimeAgentInput {
  hostname: string;
  agentVersion: string;
  platform: string;
  publicKey: string;
}

/** Live challenges kept per agent: enough for retries, too few for a caller to fill the table. */
const MAX_LIVE_CHALLENGES = 8;

function validate(input: RegisterRuntimeAgentInput) {
  const details: FieldDetails = {};
  const hostname = trimmed(input.hostname);
  const agentVersion = trimmed(input.agentVersion);
  const platform = trimmed(input.platform);
  const publicKey = parsePublicKey(input.publicKey ?? '');
  if (hostname.length < 1 || hostname.length > 253) details.hostname = 'must be 1 to 253 characters';
  if (agentVersion.length < 1 || agentVersion.length > 64) details.agentVersion = 'must be 1 to 64 characters';
  if (platform.length < 1 || platform.length > 64) details.platform = 'must be 1 to 64 characters';
  if (!publicKey) details.publicKey = 'must be a 32-byte Ed25519 public key in base64 (optionally prefixed `ed25519:`)';
  if (Object.keys(details).length) throw validationError(details);
  return { hostname, agentVersion, platform, publicKey: publicKey! };
}

const event = (agent: RuntimeAgent) => ({
  accountId: agent.accountId,
  domain: 'COPILOT' as const,
  subject: { type: 'RuntimeAgent' as const, id: agent.id },
});

/** Registers an agent's public key in the account (ADMIN); the same key twice in one account is a CONFLICT. */
export function registerRuntimeAgent(ctx: RequestContext, accountId: string, input: RegisterRuntimeAgentInput): Promise<RuntimeAgent> {
  const data = validate(input);
  return uniqueOrConflict(
    () =>
      ctx.write(async ({ em, audit }) => {
        const agent = em.create(RuntimeAgent, {
          id: uuidv7(),
          accountId,
          ...data,
          status: 'ACTIVE',
          registeredAt: new Date(),
          lastSeenAt: null,
          revokedAt: null,
        });
        await em.flush();
        await audit({
          ...event(agent),
          type: 'runtime_agent.registered',
          payload: {
            hostname: data.hostname,
            agentVersion: data.agentVersion,
            platform: data.platform,
            runtimeId: `${RUNTIME_ID_PREFIX}${data.publicKey}`,
          },
        });
        return agent;
      }),
    'This public key is already registered in the account',
    { publicKey: 'already registered' },
  );
}

/** Revokes an agent at once: its pending challenges go, and the status route answers REVOKED from the commit on. Idempotent. */
export function revokeRuntimeAgent(ctx: RequestContext, accountId: string | null, id: string): Promise<RuntimeAgent> {
  const agentId = requireUuid(id, 'RuntimeAgent');
  return ctx.write(async ({ em, audit, unchanged }) => {
    const agent = await runtimeAgentRepository.find(em, accountId, agentId);
    if (!agent) throw notFound('RuntimeAgent');
    if (agent.status === 'REVOKED') return unchanged(agent);
    agent.status = 'REVOKED';
    agent.revokedAt = new Date();
    await em.flush();
    await runtimeAgentRepository.dropChallenges(em, agent.id);
    await audit({ ...event(agent), type: 'runtime_agent.revoked', payload: { hostname: agent.hostname } });
    return agent;
  });
}

/** Whose agents a read sees: the request's account, or every account for a super admin without X-Account-Id (RLS agrees). */
export function listRuntimeAgents(
  ctx: RequestContext,
  accountId: string | null,
  args: ConnectionArgs,
  status: RuntimeAgentStatus | null | undefined,
) {
  if (status && !RUNTIME_AGENT_STATUSES.includes(status)) throw validationError({ status: 'unknown status' });
  return paginate(args, {
    rows: ({ after, take }) => ctx.read((em) => runtimeAgentRepository.page(em, accountId, status ?? null, after, take)),
    key: (a) => a.id,
    count: () => ctx.read((em) => runtimeAgentRepository.count(em, accountId, status ?? null)),
  });
}

/** The caller's own agent, locked for the handshake; another account's (or a malformed id) is NOT_FOUND. */
async function ownAgent(em: EntityManager, accountId: string, agentId: string, lock = false): Promise<RuntimeAgent> {
  const agent = await runtimeAgentRepository.find(em, accountId, requireUuid(agentId, 'RuntimeAgent'), { lock });
  if (!agent) throw notFound('RuntimeAgent');
  if (agent.status === 'REVOKED') throw forbidden('This agent has been revoked');
  return agent;
}

/**
 * Issues a single-use nonce for the agent to sign, valid 60 s. Expired
 * challenges of the agent are swept here, and only the newest few stay live.
 */
export function createAgentChallenge(ctx: RequestContext, accountId: string, agentId: string): Promise<{ nonce: string; expiresAt: Date }> {
  // a nonce is no management change: the one write that records no audit event
  return ctx.write(
    async ({ em }) => {
      const agent = await ownAgent(em, accountId, agentId);
      const nonce = newNonce();
      const now = new Date();
      const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_SECONDS * 1000);
      await runtimeAgentRepository.pruneChallenges(em, agent.id, MAX_LIVE_CHALLENGES - 1);
      await runtimeAgentRepository.addChallenge(em, { nonce, accountId: agent.accountId, agentId: agent.id, createdAt: now, expiresAt });
      return { nonce, expiresAt };
    },
    { events: 0 },
  );
}

/**
 * Completes the challenge-response: the nonce is consumed whether or not the
 * signature verifies (one nonce, one attempt), so a replay or a second guess
 * is UNAUTHORIZED; a revoked agent is FORBIDDEN. On success the agent is
 * marked seen (ACTIVE again if it was INACTIVE), `agent.connected` is recorded
 * and a 15-minute session JWT is returned.
 */
export async function agentHandshake(
  ctx: RequestContext,
  serviceKey: KeyObject,
  accountId: string,
  agentId: string,
  nonce: string,
  signature: string,
): Promise<{ token: string; expiresAt: Date; agent: RuntimeAgent }> {
  const outcome = await ctx.write(async ({ em, audit, unchanged }) => {
    // the row lock orders a handshake after a concurrent revocation
    const agent = await ownAgent(em, accountId, agentId, true);
    const expiresAt = await runtimeAgentRepository.consumeChallenge(em, agent.id, nonce);
    if (!expiresAt || expiresAt.getTime() <= Date.now())
      return unchanged({ ok: false as const, why: 'Unknown, used or expired challenge' });
    if (!verifyHandshake(agent.publicKey, agent.id, nonce, signature))
      return unchanged({ ok: false as const, why: 'Signature does not verify' });
    const seen = await runtimeAgentRepository.markSeen(em, agent);
    await audit({
      ...event(seen),
      type: 'agent.connected',
      payload: {
        agentId: seen.id,
        hostname: seen.hostname,
        agentVersion: seen.agentVersion,
        platform: seen.platform,
        runtimeId: `${RUNTIME_ID_PREFIX}${seen.publicKey}`,
      },
    });
    return { ok: true as const, agent: seen };
  });
  // thrown after the commit, so the failed attempt still used up the nonce
  if (!outcome.ok) throw unauthorized(`Handshake refused: ${outcome.why}`);
  const session = await signAgentSession(serviceKey, outcome.agent.id, outcome.agent.accountId);
  return { ...session, agent: outcome.agent };
}
