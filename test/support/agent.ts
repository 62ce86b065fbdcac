import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { ok, type TestStack } from './stack';

/** A new Ed25519 key pair as an agent holds it: the public key as base64 of its raw 32 bytes. */
export function agentKeys(): { privateKey: KeyObject; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64') };
}

/** The agent's answer to a challenge: its signature over `cockpit-agent-handshake:<agentId>:<nonce>` (UTF-8), base64. */
export const signHandshake = (privateKey: KeyObject, agentId: string, nonce: string) =>
  sign(null, Buffer.from(`cockpit-agent-handshake:${agentId}:${nonce}`, 'utf8'), privateKey).toString('base64');

/**
 * A runtime agent's session token, obtained through the gateway as a real agent
 * does: an admin registers its key and makes it a CLIENT key; the agent then
 * answers a challenge and completes the handshake.
 */
export async function agentSession(s: TestStack, adminToken: string, hostname = 'agent-01'): Promise<{ token: string; agentId: string }> {
  const keys = agentKeys();
  const client = ok(await s.gql(`mutation { createApiKey(input: { name: "agent", tier: CLIENT }) { secret } }`, {}, { token: adminToken }))
    .createApiKey.secret as string;
  const agentId = ok(
    await s.gql(
      `mutation($i: RegisterRuntimeAgentInput!) { registerRuntimeAgent(input: $i) { id } }`,
      { i: { hostname, agentVersion: '1.0.0', platform: 'linux', publicKey: keys.publicKey } },
      { token: adminToken },
    ),
  ).registerRuntimeAgent.id as string;
  const { nonce } = ok(
    await s.gql(`mutation($a: ID!) { agentChallenge(agentId: $a) { nonce } }`, { a: agentId }, { token: client }),
  ).agentChallenge;
  const token = ok(
    await s.gql(
      `mutation($a: ID!, $n: String!, $s: String!) { agentHandshake(agentId: $a, nonce: $n, signature: $s) { token } }`,
      { a: agentId, n: nonce, s: signHandshake(keys.privateKey, agentId, nonce) },
      { token: client },
    ),
  ).agentHandshake.token as string;
  return { token, agentId };
}
