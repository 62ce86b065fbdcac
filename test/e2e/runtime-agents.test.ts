import { decodeJwt, decodeProtectedHeader } from 'jose';
import { agentKeys, signHandshake } from '../support/agent';
import { codeOf, ok, startTestStack, type TestStack } from '../support/stack';

/**
 * ID9 through the gateway: an admin registers an agent's Ed25519 key, and the
 * agent — authenticated by a CLIENT API key of its account — obtains a session
 * token by challenge-response. (Accepting that token is the gateway's part.)
 */
describe('runtime agents: registration and the Ed25519 handshake through the gateway', () => {
  let s: TestStack;
  let acme: string;
  let globex: string;
  let acmeAdmin: string;
  let acmeClientKey: string;
  let globexClientKey: string;
  const { privateKey, publicKey: rawPublicKey } = agentKeys();
  const signed = (agentId: string, nonce: string) => signHandshake(privateKey, agentId, nonce);

  const CHALLENGE = `mutation($a: ID!) { agentChallenge(agentId: $a) { nonce expiresAt } }`;
  const HANDSHAKE = `mutation($a: ID!, $n: String!, $s: String!) { agentHandshake(agentId: $a, nonce: $n, signature: $s) { token expiresAt agent { id hostname runtimeId status lastSeenAt } } }`;

  beforeAll(async () => {
    s = await startTestStack();
    const create = `mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }`;
    acme = ok(await s.gql(create, { i: { name: 'Acme Agents', emailDomain: 'acme.example', planTier: 'TEAM' } }, { token: s.masterKey }))
      .createAccount.id;
    globex = ok(
      await s.gql(create, { i: { name: 'Globex Agents', emailDomain: 'globex.example', planTier: 'TEAM' } }, { token: s.masterKey }),
    ).createAccount.id;
    acmeAdmin = await s.tokenFor('ADMIN', acme);
    const clientKey = async (token: string) =>
      ok(await s.gql(`mutation { createApiKey(input: { name: "agent", tier: CLIENT }) { secret } }`, {}, { token })).createApiKey.secret;
    acmeClientKey = await clientKey(acmeAdmin);
    globexClientKey = await clientKey(await s.tokenFor('ADMIN', globex));
  });
  afterAll(() => s.close());

  let agentId: string;

  it('lets an admin register the agent and a viewer list it', async () => {
    const r = ok(
      await s.gql(
        `mutation($i: RegisterRuntimeAgentInput!) { registerRuntimeAgent(input: $i) { id runtimeId status } }`,
        { i: { hostname: 'mac-01', agentVersion: '0.8.6', platform: 'darwin', publicKey: `ed25519:${rawPublicKey}` } },
        { token: acmeAdmin },
      ),
    );
    expect(r.registerRuntimeAgent).toMatchObject({ runtimeId: `ed25519:${rawPublicKey}`, status: 'ACTIVE' });
    agentId = r.registerRuntimeAgent.id;
    const list = ok(await s.gql(`{ runtimeAgents { totalCount nodes { id hostname } } }`, {}, { token: await s.tokenFor('VIEWER', acme) }));
    expect(list.runtimeAgents).toEqual({ totalCount: 1, nodes: [{ id: agentId, hostname: 'mac-01' }] });
    // the agent's own CLIENT key cannot register agents
    const viaClient = await s.gql(
      `mutation($i: RegisterRuntimeAgentInput!) { registerRuntimeAgent(input: $i) { id } }`,
      { i: { hostname: 'x', agentVersion: '1', platform: 'linux', publicKey: rawPublicKey } },
      { token: acmeClientKey },
    );
    expect(codeOf(viaClient)).toBe('FORBIDDEN');
  });

  it('gives the agent a session token for a signed challenge, with its CLIENT key', async () => {
    const { agentChallenge } = ok(await s.gql(CHALLENGE, { a: agentId }, { token: acmeClientKey }));
    const h = ok(
      await s.gql(HANDSHAKE, { a: agentId, n: agentChallenge.nonce, s: signed(agentId, agentChallenge.nonce) }, { token: acmeClientKey }),
    );
    expect(h.agentHandshake.agent).toMatchObject({ id: agentId, hostname: 'mac-01', status: 'ACTIVE', lastSeenAt: expect.any(String) });
    expect(decodeProtectedHeader(h.agentHandshake.token).alg).toBe('EdDSA');
    expect(decodeJwt(h.agentHandshake.token)).toMatchObject({
      iss: 'cockpit-identity',
      aud: 'cockpit-agent',
      sub: `agent:${agentId}`,
      agent_id: agentId,
      cockpit_account_id: acme,
    });
    // the nonce was used: replaying the same signed answer is refused
    const replay = await s.gql(
      HANDSHAKE,
      { a: agentId, n: agentChallenge.nonce, s: signed(agentId, agentChallenge.nonce) },
      { token: acmeClientKey },
    );
    expect(codeOf(replay)).toBe('UNAUTHORIZED');
  });

  it('refuses a wrong signature, and another account’s key (NOT_FOUND)', async () => {
    const { agentChallenge } = ok(await s.gql(CHALLENGE, { a: agentId }, { token: acmeClientKey }));
    const forged = signHandshake(agentKeys().privateKey, agentId, agentChallenge.nonce);
    expect(codeOf(await s.gql(HANDSHAKE, { a: agentId, n: agentChallenge.nonce, s: forged }, { token: acmeClientKey }))).toBe(
      'UNAUTHORIZED',
    );
    expect(codeOf(await s.gql(CHALLENGE, { a: agentId }, { token: globexClientKey }))).toBe('NOT_FOUND');
  });

  it('refuses the handshake once the agent is revoked', async () => {
    const { agentChallenge } = ok(await s.gql(CHALLENGE, { a: agentId }, { token: acmeClientKey }));
    const revoked = ok(await s.gql(`mutation($id: ID!) { revokeRuntimeAgent(id: $id) { status } }`, { id: agentId }, { token: acmeAdmin }));
    expect(revoked.revokeRuntimeAgent.status).toBe('REVOKED');
    const h = await s.gql(
      HANDSHAKE,
      { a: agentId, n: agentChallenge.nonce, s: signed(agentId, agentChallenge.nonce) },
      { token: acmeClientKey },
    );
    expect(codeOf(h)).toBe('FORBIDDEN');
  });
});
