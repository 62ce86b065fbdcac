import type { KeyObject } from 'node:crypto';
import { agentStatus } from '@cockpit/contracts';
import { unauthorized, verifyAgentSession, type Principal } from '@cockpit/kit/edge';
import type { IdentityClient } from './identity-client';

/**
 * Runtime-agent session JWTs (ID9): identity signs them with its own key, so
 * the gateway verifies them with identity's public key (no other service's key
 * can mint one). The session
 * alone is not trusted for its 15 minutes: every request asks identity whether
 * the agent still stands, so a revocation is effective at once.
 */
export class AgentSessions {
  constructor(
    private readonly identity: IdentityClient,
    private readonly publicKey: KeyObject,
  ) {}

  async principal(token: string, requestId: string): Promise<Principal & { expiresAt: number }> {
    const { agentId, accountId, exp } = await verifyAgentSession(this.publicKey, token);
    const answer = await this.identity(agentStatus, { agentId }, requestId);
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
