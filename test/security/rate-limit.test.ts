import { request } from 'node:http';
import WebSocket from 'ws';
import type { RateLimitConfig } from '@cockpit/gateway';
import { mintDevToken } from '@cockpit/cli';
import { startDevStack, type DevStack } from './dev-stack';
import { postJson } from './post-json';

/**
 * Attack: one tenant (or one leaked key) floods the API and starves everyone else. Defence: GW4's
 * per-plan buckets at the gateway, a bucket per API key and a cap on requests in flight per credential.
 */
describe('rate limits by plan (HTTP)', () => {
  let env: DevStack;
  let stack: DevStack['stack'];
  let dev: DevStack['dev'];
  let masterKey: string;

  beforeAll(async () => {
    env = await startDevStack();
    ({ stack, dev, masterKey } = env);
  }, 180_000); // a whole stack, on a machine that may be busy
  afterAll(() => env?.close());

  /** Another gateway on the same subgraphs with its own rate-limit settings. */
  const gatewayWith = (rateLimit: Partial<RateLimitConfig>) =>
    env.gatewayWith({ store: 'memory', apiKeyRequestsPerMinute: 0, platformRequestsPerMinute: 6000, maxInFlight: 32, ...rateLimit });

  const post = (url: string, token: string, query: string, headers: Record<string, string> = {}) =>
    postJson(url, { authorization: `Bearer ${token}`, ...headers }, JSON.stringify({ query }));
  const asMaster = (query: string) => post(stack.url, masterKey, query);
  async function account(planTier: 'FREE' | 'TEAM' | 'ENTERPRISE') {
    const r = await asMaster(
      `mutation { createAccount(input: {name: "rl-${planTier}-${Math.random()}", emailDomain: "rl.example", planTier: ${planTier}}) { id } }`,
    );
    return r.body.data.createAccount.id as string;
  }
  const owner = (accountId: string, subject?: string) => mintDevToken(dev.privateKey, { role: 'OWNER', accountId, subject });
  const Q = '{ account { id } }';
  /** Spends `n` requests of the token's budget, ten at a time (under the in-flight cap). */
  const spend = async (token: string, n: number) => {
    for (let i = 0; i < n; i += 10) await Promise.all(Array.from({ length: Math.min(10, n - i) }, () => post(stack.url, token, Q)));
  };

  it('refuses the 61st request of a minute from a FREE account with 429 RATE_LIMITED, Retry-After and X-RateLimit-*', async () => {
    const acct = await account('FREE');
    const token = await owner(acct);
    for (let i = 1; i <= 60; i++) {
      const r = await post(stack.url, token, Q);
      expect(r.status).toBe(200);
      expect(r.headers.get('x-ratelimit-limit')).toBe('60');
      expect(r.headers.get('x-ratelimit-remaining')).toBe(String(60 - i));
    }
    const refused = await post(stack.url, token, Q);
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', requestId: expect.any(String) });
    const retry = Number(refused.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    const reset = Number(refused.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThan(Date.now() / 1000);
    expect(reset).toBeLessThanOrEqual(Date.now() / 1000 + 61);

    // the budget is the account's: another user of it is refused too, another account is not
    expect((await post(stack.url, await owner(acct, 'someone-else'), Q)).status).toBe(429);
    const other = await post(stack.url, await owner(await account('FREE')), Q);
    expect(other.status).toBe(200);
    expect(other.headers.get('x-ratelimit-remaining')).toBe('59');
  }, 180_000);

  it('follows the plan from identity: TEAM 600, ENTERPRISE 6000, and an upgrade applies at once', async () => {
    expect((await post(stack.url, await owner(await account('TEAM')), Q)).headers.get('x-ratelimit-limit')).toBe('600');
    expect((await post(stack.url, await owner(await account('ENTERPRISE')), Q)).headers.get('x-ratelimit-limit')).toBe('6000');

    const acct = await account('FREE');
    const token = await owner(acct);
    await spend(token, 60);
    expect((await post(stack.url, token, Q)).status).toBe(429);
    const up = await asMaster(`mutation { updateAccount(id: "${acct}", input: {planTier: TEAM}) { planTier } }`);
    expect(up.body.data.updateAccount.planTier).toBe('TEAM');
    const after = await post(stack.url, token, Q);
    expect(after.status).toBe(200);
    expect(after.headers.get('x-ratelimit-limit')).toBe('600');
  }, 180_000);

  it('gives each API key its own bucket, so one leaked key cannot spend the whole account budget', async () => {
    const { url } = await gatewayWith({ apiKeyRequestsPerMinute: 3 });
    const acct = await account('TEAM');
    const key = async (name: string) => {
      const r = await post(stack.url, masterKey, `mutation { createApiKey(input: {name: "${name}", tier: ADMIN}) { secret } }`, {
        'x-account-id': acct,
      });
      return r.body.data.createApiKey.secret as string;
    };
    const [a, b] = [await key('a'), await key('b')];
    for (let i = 0; i < 3; i++) expect((await post(url, a, Q)).status).toBe(200);
    const refused = await post(url, a, Q);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-ratelimit-limit')).toBe('3');
    expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    const other = await post(url, b, Q);
    expect(other.status).toBe(200);
  }, 180_000);

  it('caps the requests one credential has in flight (slow-body flood), not other credentials', async () => {
    const { gw, url } = await gatewayWith({ maxInFlight: 1 });
    const acct = await account('TEAM');
    const token = await owner(acct, 'slow-client');
    const u = new URL(url);
    // a request whose body never finishes holds its slot
    const body = JSON.stringify({ query: Q });
    const slow = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST' });
    slow.setHeader('content-type', 'application/json');
    slow.setHeader('authorization', `Bearer ${token}`);
    slow.setHeader('content-length', String(body.length));
    const answer = new Promise<number>((resolve, reject) => {
      slow.on('response', (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      slow.on('error', reject);
    });
    slow.write(body.slice(0, 5));
    const credential = 'USER:slow-client';
    const deadline = Date.now() + 10_000;
    while (gw.admission!.inFlightOf(credential) < 1) {
      if (Date.now() > deadline) throw new Error('the slow request never reached the limiter');
      await new Promise((r) => setTimeout(r, 10));
    }
    const refused = await post(url, token, Q);
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await post(url, await owner(acct, 'another-user'), Q)).status).toBe(200);
    slow.end(body.slice(5));
    expect(await answer).toBe(200);
    expect(gw.admission!.inFlightOf(credential)).toBe(0);
    expect((await post(url, token, Q)).status).toBe(200);
  }, 180_000);

  it('exempts the master key and charges a super admin on an account to its own platform bucket', async () => {
    const acct = await account('FREE');
    const token = await owner(acct);
    await spend(token, 60);
    expect((await post(stack.url, token, Q)).status).toBe(429);
    const master = await post(stack.url, masterKey, Q, { 'x-account-id': acct });
    expect(master.status).toBe(200);
    expect(master.headers.get('x-ratelimit-limit')).toBeNull();
    const admin = await mintDevToken(dev.privateKey, { role: 'SUPER_ADMIN', subject: `support-${Math.random()}` });
    const support = await post(stack.url, admin, Q, { 'x-account-id': acct });
    expect(support.status).toBe(200);
    expect(support.body.data.account.id).toBe(acct);
    expect(support.headers.get('x-ratelimit-limit')).toBe('6000');
  }, 180_000);

  /** Opens a graphql-transport-ws socket and sends connection_init; resolves with the socket and how it answered. */
  function connect(token: string): Promise<{ ws: WebSocket; acked: boolean; code?: number; reason?: string }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(stack.wsUrl, 'graphql-transport-ws');
      ws.on('error', reject);
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
      ws.on('message', (m) => {
        if (JSON.parse(m.toString()).type === 'connection_ack') resolve({ ws, acked: true });
      });
      ws.on('close', (code, reason) => resolve({ ws, acked: false, code, reason: reason.toString() }));
    });
  }

  it("graphql-ws: refuses a FREE account's second socket with 4429 and admits one again once the first closes", async () => {
    const token = await owner(await account('FREE'));
    const first = await connect(token);
    expect(first.acked).toBe(true);
    const second = await connect(token);
    expect(second.acked).toBe(false);
    expect(second.code).toBe(4429);
    expect(second.reason).toMatch(/connection limit/i);
    await new Promise<void>((r) => {
      first.ws.once('close', () => r());
      first.ws.close();
    });
    // the slot is released when the gateway sees the close: poll by reconnecting
    let third = await connect(token);
    for (let i = 0; !third.acked && i < 50; i++) third = await connect(token);
    expect(third.acked).toBe(true);
    third.ws.close();
  });

  it("graphql-ws: answers a FREE account's 61st operation of a minute on the socket with RATE_LIMITED, keeping the socket open", async () => {
    const token = await owner(await account('FREE'));
    const { ws, acked } = await connect(token);
    expect(acked).toBe(true);
    const waiting = new Map<string, (msg: any) => void>();
    ws.on('message', (m) => {
      const msg = JSON.parse(m.toString());
      if (msg.type === 'next' || msg.type === 'error') waiting.get(msg.id)?.(msg);
    });
    const run = (id: string) =>
      new Promise<any>((resolve) => {
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query: '{ account { id } }' } }));
      });
    const answers = new Map<string, any>();
    // ten at a time: under the per-connection cap on operations in progress
    for (let i = 0; i < 61; i += 10) {
      const batch = await Promise.all(Array.from({ length: Math.min(10, 61 - i) }, (_, j) => run(`q${i + j}`)));
      batch.forEach((a, j) => answers.set(`q${i + j}`, a));
    }
    const refused = [...answers.values()].filter((a) => a.type === 'error');
    expect(refused).toHaveLength(1);
    expect(refused[0].payload[0].extensions.code).toBe('RATE_LIMITED');
    expect(refused[0].payload[0].extensions.retryAfterSeconds).toBeGreaterThan(0);
    expect([...answers.values()].filter((a) => a.type === 'next')).toHaveLength(60);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });
});
