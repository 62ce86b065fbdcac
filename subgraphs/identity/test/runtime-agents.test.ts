import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { principal, servicePrincipal, testKeys, verifyAgentSession, type Principal } from '@cockpit/kit';
import { AGENT_STATUS_PATH } from '../src';
import { member, newAccount, outboxTypes, platformAdmin, startIdentity, type Identity } from './helpers';

/** A real Ed25519 key pair as an agent holds it: the public key as base64 of its raw 32 bytes. */
function agentKeys() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  return { privateKey, publicKey: raw.toString('base64'), raw };
}
const signHandshake = (key: KeyObject, agentId: string, nonce: string) =>
  sign(null, Buffer.from(`cockpit-agent-handshake:${agentId}:${nonce}`, 'utf8'), key).toString('base64');

/** The agent's own CLIENT API key, as the gateway turns it into a principal. */
const clientKey = (accountId: string): Principal =>
  principal({ kind: 'API_KEY', subject: 'api-key:client', accountId, roles: ['END_USER'] });

const REGISTER = `mutation($i: RegisterRuntimeAgentInput!) { registerRuntimeAgent(input: $i) { id hostname runtimeId agentVersion platform status registeredAt lastSeenAt revokedAt } }`;
const REVOKE = `mutation($id: ID!) { revokeRuntimeAgent(id: $id) { id status revokedAt } }`;
const CHALLENGE = `mutation($a: ID!) { agentChallenge(agentId: $a) { nonce expiresAt } }`;
const HANDSHAKE = `mutation($a: ID!, $n: String!, $s: String!) { agentHandshake(agentId: $a, nonce: $n, signature: $s) { token expiresAt agent { id status lastSeenAt } } }`;
const GET = `query($id: ID!) { runtimeAgent(id: $id) { id status } }`;

const code = (r: { errors?: any[] }) => r.errors?.[0]?.extensions?.code;

describe('identity: runtime agents and the Ed25519 handshake (ID9)', () => {
  let id: Identity;
  beforeAll(async () => {
    id = await startIdentity();
  });
  afterAll(() => id.close());

  async function registered(accountId: string, keys = agentKeys(), hostname = 'mac-01') {
    const r = await id.call(member(accountId, 'ADMIN'), REGISTER, {
      i: { hostname, agentVersion: '0.8.6', platform: 'darwin', publicKey: keys.publicKey },
    });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return { agent: r.data.registerRuntimeAgent, keys };
  }
  async function challenge(accountId: string, agentId: string): Promise<string> {
    const r = await id.call(clientKey(accountId), CHALLENGE, { a: agentId });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data.agentChallenge.nonce;
  }
  const status = (agentId: unknown, who = servicePrincipal('gateway')) => id.route(AGENT_STATUS_PATH, who, { agentId });

  it('registers an agent by its public key, audits it, and lists it for viewers', async () => {
    const a = await newAccount(id);
    const keys = agentKeys();
    const { agent } = await registered(a.id, keys);
    expect(agent).toMatchObject({
      hostname: 'mac-01',
      runtimeId: `ed25519:${keys.publicKey}`,
      agentVersion: '0.8.6',
      platform: 'darwin',
      status: 'ACTIVE',
      lastSeenAt: null,
      revokedAt: null,
    });
    const [row] = await id.sql(`select account_id, public_key from identity.runtime_agent where id = ?`, [agent.id]);
    expect(row).toEqual({ account_id: a.id, public_key: keys.publicKey });
    const events = (await outboxTypes(id)).filter((e) => e.subject?.id === agent.id);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'runtime_agent.registered',
        accountId: a.id,
        payload: expect.objectContaining({ runtimeId: `ed25519:${keys.publicKey}` }),
      }),
    ]);

    const viewer = member(a.id, 'VIEWER');
    const list = await id.call(viewer, `{ runtimeAgents { totalCount nodes { id runtimeId } } }`);
    expect(list.data.runtimeAgents).toEqual({ totalCount: 1, nodes: [{ id: agent.id, runtimeId: `ed25519:${keys.publicKey}` }] });
    expect((await id.call(viewer, GET, { id: agent.id })).data.runtimeAgent).toEqual({ id: agent.id, status: 'ACTIVE' });
    // viewers and operators read; only admins register and revoke; a CLIENT key neither
    for (const who of [viewer, member(a.id, 'OPERATOR'), clientKey(a.id)]) {
      expect(
        code(
          await id.call(who, REGISTER, { i: { hostname: 'x', agentVersion: '1', platform: 'linux', publicKey: agentKeys().publicKey } }),
        ),
      ).toBe('FORBIDDEN');
      expect(code(await id.call(who, REVOKE, { id: agent.id }))).toBe('FORBIDDEN');
    }
    expect(code(await id.call(clientKey(a.id), `{ runtimeAgents { totalCount } }`))).toBe('FORBIDDEN');
  });

  it('accepts the key as base64, base64url or ed25519:-prefixed; refuses other keys (VALIDATION_ERROR) and duplicates (CONFLICT)', async () => {
    const a = await newAccount(id);
    const b = await newAccount(id);
    const admin = member(a.id, 'ADMIN');
    const input = (publicKey: string, hostname = 'h') => ({ i: { hostname, agentVersion: '1.0.0', platform: 'linux', publicKey } });

    const k1 = agentKeys();
    const prefixed = await id.call(admin, REGISTER, input(`ed25519:${k1.publicKey}`));
    expect(prefixed.data.registerRuntimeAgent.runtimeId).toBe(`ed25519:${k1.publicKey}`);
    const k2 = agentKeys();
    const url = await id.call(admin, REGISTER, input(k2.raw.toString('base64url')));
    expect(url.data.registerRuntimeAgent.runtimeId).toBe(`ed25519:${k2.publicKey}`);

    for (const bad of [
      '',
      'not base64!',
      k1.raw.subarray(0, 31).toString('base64'),
      Buffer.concat([k1.raw, k1.raw]).toString('base64'),
      'rsa:' + k1.publicKey,
    ]) {
      const r = await id.call(admin, REGISTER, input(bad));
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { publicKey: expect.any(String) } });
    }
    const many = await id.call(admin, REGISTER, { i: { hostname: ' ', agentVersion: '', platform: 'x'.repeat(65), publicKey: 'nope' } });
    expect(Object.keys(many.errors?.[0].extensions.details).sort()).toEqual(['agentVersion', 'hostname', 'platform', 'publicKey']);

    // the same key under any spelling is the same key
    const dup = await id.call(admin, REGISTER, input(k1.raw.toString('base64url'), 'other'));
    expect(dup.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', details: { publicKey: expect.any(String) } });
    // but another account may register it
    expect((await id.call(member(b.id, 'ADMIN'), REGISTER, input(k1.publicKey))).errors).toBeUndefined();
    // a super admin must name the account
    expect(code(await id.call(platformAdmin(), REGISTER, input(agentKeys().publicKey)))).toBe('INVALID_REQUEST');
  });

  it('completes the handshake with a real key pair and returns a 15-minute EdDSA session token', async () => {
    const a = await newAccount(id);
    const { agent, keys } = await registered(a.id);
    const c = await id.call(clientKey(a.id), CHALLENGE, { a: agent.id });
    expect(c.errors).toBeUndefined();
    const { nonce, expiresAt } = c.data.agentChallenge;
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(50_000);
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(60_000);

    const h = await id.call(clientKey(a.id), HANDSHAKE, { a: agent.id, n: nonce, s: signHandshake(keys.privateKey, agent.id, nonce) });
    expect(h.errors).toBeUndefined();
    const session = h.data.agentHandshake;
    expect(session.agent).toMatchObject({ id: agent.id, status: 'ACTIVE', lastSeenAt: expect.any(String) });

    expect(decodeProtectedHeader(session.token)).toMatchObject({ alg: 'EdDSA' });
    const claims = decodeJwt(session.token);
    expect(claims).toMatchObject({
      iss: 'cockpit-identity',
      aud: 'cockpit-agent',
      sub: `agent:${agent.id}`,
      cockpit_account_id: a.id,
      agent_id: agent.id,
    });
    expect(claims.exp! - claims.iat!).toBe(15 * 60);
    expect(new Date(session.expiresAt).getTime()).toBe(claims.exp! * 1000);
    // the gateway verifies it with the public half of the deployment key
    await expect(verifyAgentSession(id.keys.publicKey, session.token)).resolves.toEqual({
      agentId: agent.id,
      accountId: a.id,
      exp: claims.exp,
    });

    const connected = (await outboxTypes(id)).filter((e) => e.type === 'agent.connected' && e.subject?.id === agent.id);
    expect(connected).toEqual([
      expect.objectContaining({ accountId: a.id, payload: expect.objectContaining({ agentId: agent.id, hostname: 'mac-01' }) }),
    ]);
    // the nonce is gone: a replay of the very same message is refused
    const replay = await id.call(clientKey(a.id), HANDSHAKE, { a: agent.id, n: nonce, s: signHandshake(keys.privateKey, agent.id, nonce) });
    expect(code(replay)).toBe('UNAUTHORIZED');
    expect(await id.sql(`select count(*)::int as n from identity.agent_challenge where agent_id = ?`, [agent.id])).toEqual([{ n: 0 }]);
  });

  it('refuses a wrong signature, and the nonce is spent by the failed attempt', async () => {
    const a = await newAccount(id);
    const { agent, keys } = await registered(a.id);
    const nonce = await challenge(a.id, agent.id);
    const impostor = agentKeys();
    for (const s of [signHandshake(impostor.privateKey, agent.id, nonce), 'AAAA', 'x'.repeat(86)]) {
      const n = await challenge(a.id, agent.id);
      expect(code(await id.call(clientKey(a.id), HANDSHAKE, { a: agent.id, n, s }))).toBe('UNAUTHORIZED');
    }
    // signing another message (another agent id) does not do either
    expect(
      code(await id.call(clientKey(a.id), HANDSHAKE, { a: agent.id, n: nonce, s: signHandshake(keys.privateKey, 'other', nonce) })),
    ).toBe('UNAUTHORIZED');
    // that attempt used the nonce up: the right signature now comes too late
    expect(
      code(await id.call(clientKey(a.id), HANDSHAKE, { a: agent.id, n: nonce, s: signHandshake(keys.privateKey, agent.id, nonce) })),
    ).toBe('UNAUTHORIZED');
    expect((await outboxTypes(id)).filter((e) => e.type === 'agent.connected' && e.subject?.id === agent.id)).toEqual([]);
  });

  it('refuses an expired nonce and a nonce issued for another agent', async () => {
    const a = await newAccount(id);
    const one = await registered(a.id);
    const two = await registered(a.id, agentKeys(), 'mac-02');
    const nonce = await challenge(a.id, one.agent.id);
    await id.sql(`update identity.agent_challenge set expires_at = now() - interval '1 second' where nonce = ?`, [nonce]);
    const late = await id.call(clientKey(a.id), HANDSHAKE, {
      a: one.agent.id,
      n: nonce,
      s: signHandshake(one.keys.privateKey, one.agent.id, nonce),
    });
    expect(code(late)).toBe('UNAUTHORIZED');

    const forTwo = await challenge(a.id, two.agent.id);
    const crossed = await id.call(clientKey(a.id), HANDSHAKE, {
      a: one.agent.id,
      n: forTwo,
      s: signHandshake(one.keys.privateKey, one.agent.id, forTwo),
    });
    expect(code(crossed)).toBe('UNAUTHORIZED');
  });

  it('keeps only a few live challenges per agent', async () => {
    const a = await newAccount(id);
    const { agent, keys } = await registered(a.id);
    const nonces: string[] = [];
    for (let i = 0; i < 12; i++) nonces.push(await challenge(a.id, agent.id));
    expect(await id.sql(`select count(*)::int as n from identity.agent_challenge where agent_id = ?`, [agent.id])).toEqual([{ n: 8 }]);
    const newest = nonces[11];
    const h = await id.call(clientKey(a.id), HANDSHAKE, { a: agent.id, n: newest, s: signHandshake(keys.privateKey, agent.id, newest) });
    expect(h.errors).toBeUndefined();
  });

  it('revokes at once: handshakes become FORBIDDEN and the status route answers REVOKED', async () => {
    const a = await newAccount(id);
    const { agent, keys } = await registered(a.id);
    expect((await status(agent.id)).body).toEqual({ status: 'ACTIVE', accountId: a.id });
    const nonce = await challenge(a.id, agent.id);

    const r = await id.call(member(a.id, 'ADMIN'), REVOKE, { id: agent.id });
    expect(r.data.revokeRuntimeAgent).toMatchObject({ id: agent.id, status: 'REVOKED', revokedAt: expect.any(String) });
    // idempotent, audited once
    expect((await id.call(member(a.id, 'ADMIN'), REVOKE, { id: agent.id })).data.revokeRuntimeAgent.revokedAt).toBe(
      r.data.revokeRuntimeAgent.revokedAt,
    );
    expect((await outboxTypes(id)).filter((e) => e.type === 'runtime_agent.revoked' && e.subject?.id === agent.id)).toHaveLength(1);

    const h = await id.call(clientKey(a.id), HANDSHAKE, { a: agent.id, n: nonce, s: signHandshake(keys.privateKey, agent.id, nonce) });
    expect(code(h)).toBe('FORBIDDEN');
    expect(code(await id.call(clientKey(a.id), CHALLENGE, { a: agent.id }))).toBe('FORBIDDEN');
    expect((await status(agent.id)).body).toEqual({ status: 'REVOKED', accountId: a.id });
    const revokedOnly = await id.call(member(a.id, 'VIEWER'), `{ runtimeAgents(filter: { status: REVOKED }) { totalCount nodes { id } } }`);
    expect(revokedOnly.data.runtimeAgents).toEqual({ totalCount: 1, nodes: [{ id: agent.id }] });
    expect(
      (await id.call(member(a.id, 'VIEWER'), `{ runtimeAgents(filter: { status: ACTIVE }) { totalCount } }`)).data.runtimeAgents.totalCount,
    ).toBe(0);
  });

  it('serves the status route to services only, answering nulls for unknown agents', async () => {
    expect((await status('00000000-0000-7000-8000-000000000000')).body).toEqual({ status: null, accountId: null });
    expect((await status('not-a-uuid')).body).toEqual({ status: null, accountId: null });
    const bad = await status(42);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('INVALID_REQUEST');
    const a = await newAccount(id);
    for (const who of [platformAdmin(), member(a.id, 'OWNER'), clientKey(a.id)]) {
      const r = await status('00000000-0000-7000-8000-000000000000', who);
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('FORBIDDEN');
    }
  });

  it('answers NOT_FOUND for another tenant’s agent, to admins and to agents alike', async () => {
    const a = await newAccount(id);
    const b = await newAccount(id);
    const { agent, keys } = await registered(a.id);
    const nonce = await challenge(a.id, agent.id);
    expect(code(await id.call(clientKey(b.id), CHALLENGE, { a: agent.id }))).toBe('NOT_FOUND');
    expect(
      code(await id.call(clientKey(b.id), HANDSHAKE, { a: agent.id, n: nonce, s: signHandshake(keys.privateKey, agent.id, nonce) })),
    ).toBe('NOT_FOUND');
    expect(code(await id.call(member(b.id, 'ADMIN'), GET, { id: agent.id }))).toBe('NOT_FOUND');
    expect(code(await id.call(member(b.id, 'ADMIN'), REVOKE, { id: agent.id }))).toBe('NOT_FOUND');
    expect(code(await id.call(member(b.id, 'ADMIN'), GET, { id: 'junk' }))).toBe('NOT_FOUND');
    expect((await id.call(member(b.id, 'ADMIN'), `{ runtimeAgents { nodes { id } } }`)).data.runtimeAgents.nodes).toEqual([]);
    // B's failed attempt did not spend A's nonce
    const h = await id.call(clientKey(a.id), HANDSHAKE, { a: agent.id, n: nonce, s: signHandshake(keys.privateKey, agent.id, nonce) });
    expect(h.errors).toBeUndefined();
    // a super admin without X-Account-Id sees every account's agents
    const all = await id.call(platformAdmin(), `{ runtimeAgents(first: 100) { nodes { id } } }`);
    expect(all.data.runtimeAgents.nodes.map((n: any) => n.id)).toContain(agent.id);
  });

  it('resolves entity references in one query, checking the tenant like the root field', async () => {
    const a = await newAccount(id);
    const b = await newAccount(id);
    const ids = [(await registered(a.id)).agent.id, (await registered(a.id, agentKeys(), 'mac-02')).agent.id];
    const other = (await registered(b.id)).agent.id;
    const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on RuntimeAgent { id hostname } } }`;
    const reps = [...ids, other].map((x) => ({ __typename: 'RuntimeAgent', id: x }));
    let r: any;
    const sql = await id.statements(async () => {
      r = await id.call(member(a.id, 'VIEWER'), q, { r: reps });
    });
    expect(r.data._entities).toEqual([{ id: ids[0], hostname: 'mac-01' }, { id: ids[1], hostname: 'mac-02' }, null]);
    expect(sql.filter((s) => s.includes('"identity"."runtime_agent"'))).toHaveLength(1);
  });

  it('pages agents with a cursor', async () => {
    const a = await newAccount(id);
    for (let i = 0; i < 3; i++) await registered(a.id, agentKeys(), `h${i}`);
    const first = await id.call(
      member(a.id, 'VIEWER'),
      `{ runtimeAgents(first: 2) { totalCount pageInfo { hasNextPage endCursor } nodes { hostname } } }`,
    );
    expect(first.data.runtimeAgents).toMatchObject({
      totalCount: 3,
      pageInfo: { hasNextPage: true },
      nodes: [{ hostname: 'h0' }, { hostname: 'h1' }],
    });
    const next = await id.call(
      member(a.id, 'VIEWER'),
      `query($c: String) { runtimeAgents(first: 2, after: $c) { pageInfo { hasNextPage } nodes { hostname } } }`,
      {
        c: first.data.runtimeAgents.pageInfo.endCursor,
      },
    );
    expect(next.data.runtimeAgents).toEqual({ pageInfo: { hasNextPage: false }, nodes: [{ hostname: 'h2' }] });
  });

  describe('verifyAgentSession', () => {
    const sessionLike = (
      claims: Record<string, unknown>,
      key: KeyObject,
      opts: { iss?: string; aud?: string; exp?: number | string } = {},
    ) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'EdDSA' })
        .setIssuer(opts.iss ?? 'cockpit-identity')
        .setAudience(opts.aud ?? 'cockpit-agent')
        .setSubject(`agent:${claims.agent_id}`)
        .setIssuedAt()
        .setExpirationTime(opts.exp ?? '15m')
        .sign(key);
    const claims = { agent_id: '0190a000-0000-7000-8000-000000000001', cockpit_account_id: '0190a000-0000-7000-8000-000000000002' };

    it('refuses tokens of another key, issuer or audience, and expired ones', async () => {
      const other = testKeys();
      await expect(verifyAgentSession(id.keys.publicKey, await sessionLike(claims, other.privateKey))).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
      await expect(
        verifyAgentSession(id.keys.publicKey, await sessionLike(claims, id.keys.privateKey, { iss: 'cockpit-gateway' })),
      ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
      await expect(
        verifyAgentSession(id.keys.publicKey, await sessionLike(claims, id.keys.privateKey, { aud: 'identity' })),
      ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
      const past = Math.floor(Date.now() / 1000) - 60;
      await expect(
        verifyAgentSession(id.keys.publicKey, await sessionLike(claims, id.keys.privateKey, { exp: past })),
      ).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
      await expect(verifyAgentSession(id.keys.publicKey, 'not.a.jwt')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
      await expect(verifyAgentSession(id.keys.publicKey, await sessionLike(claims, id.keys.privateKey))).resolves.toMatchObject({
        agentId: claims.agent_id,
      });
    });
  });
});
