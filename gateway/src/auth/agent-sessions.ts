import { createPublicKey, type KeyObject } from 'node:crypto';
import { unauthorized, verifyAgentSession, type Principal } from '@cockpit/kit';
import type { IdentityClient } from './identity-client';

export const AGENT_STATUS_PATH = '/internal/agents/status';

/**
 * Runtime-agent session JWTs (ID9): identity signs them with the deployment's
 * internal key, so the gateway verifies them with its public half. The session
 * alone is not trusted for its 15 minutes: every request asks identity whether
 * the agent still stands, so a revocation is effective at once.
 */
export class AgentSessions {
  private readonly publicKey: KeyObject;

  constructor(
    private readonly identity: IdentityClient,
    internalKey: KeyObject,
  ) {
    this.publicKey = createPublicKey(internalKey);
  }

  async principal(token: string, requestId: string): Promise<Principal & { expiresAt: number }> {
    const { agentId, accountId, exp } = await verifyAgentSession(this.publicKey, token);
    const answer = await this.identity<{ status: string | null; accountId: string | null }>(AGENT_STATUS_PATH, { agentId }, requestId);
    if (answer.status === 'REVOKED') throw unauthorized('Agent is revoked');
    if (answer.status !== 'ACTIVE' && answer.status !== 'INACTIVE') throw unauthorized('Unknown agent');
    if (answer.accountId?.toLowerCase() !== accountId.toLowerCase()) throw unauthorized('Invalid agent session');
    return {
      subject: `agent:${agentId}`,
      kind: 'AGENT',
      accountId: accountId.toLowerCase(),
      roles: ['END_USER'],
      teamIds: [],
      orgIds: [],
      scopes: [],
      superAdmin: false,
      requestId,
      expiresAt: exp * 1000,
    };
  }
}
