import { createPublicKey, type KeyObject } from 'node:crypto';
import { jwtVerify, errors as joseErrors } from 'jose';
import { callInternal, isUuid, servicePrincipal, tokenExpired, unauthorized, type Principal } from '@cockpit/kit';

/** Must match identity's runtime-agents/agent-session.ts. */
export const AGENT_SESSION_ISSUER = 'cockpit-identity';
export const AGENT_SESSION_AUDIENCE = 'cockpit-agent';
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
    private readonly identityUrl: () => string,
    private readonly internalKey: KeyObject,
  ) {
    this.publicKey = createPublicKey(internalKey);
  }

  async principal(token: string, requestId: string): Promise<Principal & { expiresAt: number }> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.publicKey, {
        issuer: AGENT_SESSION_ISSUER,
        audience: AGENT_SESSION_AUDIENCE,
        algorithms: ['EdDSA'],
        clockTolerance: 5,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw tokenExpired('Agent session has expired');
      if (e instanceof joseErrors.JOSEError) throw unauthorized('Invalid agent session');
      throw e;
    }
    const { agent_id: agentId, cockpit_account_id: accountId, sub, exp } = payload;
    if (typeof agentId !== 'string' || !isUuid(agentId) || typeof accountId !== 'string' || !isUuid(accountId) || sub !== `agent:${agentId}`)
      throw unauthorized('Malformed agent session');
    const answer = await callInternal<{ status: string | null; accountId: string | null }>({
      url: `${this.identityUrl().replace(/\/graphql$/, '')}${AGENT_STATUS_PATH}`,
      audience: 'identity',
      key: this.internalKey,
      principal: servicePrincipal('gateway', requestId),
      body: { agentId },
      timeoutMs: 5000,
    });
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
      expiresAt: (exp as number) * 1000,
    };
  }
}
