import { randomBytes, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { tokenExpired, unauthorized } from './errors';
import { isUuid } from './ids';

/*
 * Runtime-agent session tokens (ID9): identity signs them with its own service
 * key after an Ed25519 handshake; the gateway verifies them with identity's
 * public key. One definition for both sides, so the two cannot drift.
 */

export const AGENT_SESSION_ISSUER = 'cockpit-identity';
export const AGENT_SESSION_AUDIENCE = 'cockpit-agent';
export const AGENT_SESSION_TTL_SECONDS = 15 * 60;

/** The session JWT: EdDSA with identity's own key, 15 minutes, sub `agent:<id>`. */
export async function signAgentSession(
  key: KeyObject,
  agentId: string,
  accountId: string,
  now = Date.now(),
): Promise<{ token: string; expiresAt: Date }> {
  const iat = Math.floor(now / 1000);
  const exp = iat + AGENT_SESSION_TTL_SECONDS;
  const token = await new SignJWT({ cockpit_account_id: accountId, agent_id: agentId })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
    .setIssuer(AGENT_SESSION_ISSUER)
    .setAudience(AGENT_SESSION_AUDIENCE)
    .setSubject(`agent:${agentId}`)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(randomBytes(16).toString('base64url'))
    .sign(key);
  return { token, expiresAt: new Date(exp * 1000) };
}

export interface AgentSessionClaims {
  agentId: string;
  accountId: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/**
 * Verifies an agent session token (signature, EdDSA only, issuer, audience,
 * required `exp` and `sub`, 5 s tolerance, uuid ids). Throws TOKEN_EXPIRED or
 * UNAUTHORIZED. It does not say whether the agent still stands: identity's
 * `/internal/agents/status` does.
 */
export async function verifyAgentSession(publicKey: KeyObject, token: string): Promise<AgentSessionClaims> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, publicKey, {
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
  if (
    typeof agentId !== 'string' ||
    !isUuid(agentId) ||
    typeof accountId !== 'string' ||
    !isUuid(accountId) ||
    sub !== `agent:${agentId}` ||
    typeof exp !== 'number'
  )
    throw unauthorized('Malformed agent session');
  return { agentId, accountId, exp };
}
