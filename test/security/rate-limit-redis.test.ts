import { postJson } from './post-json';
import { createServer } from 'node:net';
import { createEdgeLimiter, type RateLimitConfig } from '@cockpit/gateway';
import { mintDevToken } from '@cockpit/cli';
import { principal, testLogger } from '@cockpit/kit';
import { startDevStack, type DevStack } from './dev-stack';

const REDIS_URL = process.env.COCKPIT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const shared: RateLimitConfig = {
  store: 'redis',
  redisUrl: REDIS_URL,
  apiKeyRequestsPerMinute: 0,
  platformRequestsPerMinute: 6000,
  maxInFlight: 1000,
};

/**
 * Attack: spread a flood over the replicas behind a load balancer, each of which would grant the full budget.
 * Defence: with COCKPIT_RATE_LIMIT_STORE=redis every replica counts in one place, atomically.
 */
describe('rate limits across gateway replicas (Redis)', () => {
  let env: DevStack;
  let stack: DevStack['stack'];
  let dev: DevStack['dev'];
  let masterKey: string;
  let second: string;

  beforeAll(async () => {
    env = await startDevStack(shared);
    ({ stack, dev, masterKey } = env);
    second = (await env.gatewayWith(shared)).url;
  }, 180_000); // a whole stack, on a machine that may be busy
  afterAll(() => env?.close());
  const post = (url: string, token: string) =>
    postJson(url, { authorization: `Bearer ${token}` }, JSON.stringify({ query: '{ account { id } }' }));
  async function freeAccount() {
    const res = await postJson(
      stack.url,
      { authorization: `Bearer ${masterKey}` },
      JSON.stringify({
        query: `mutation { createAccount(input: {name: "rl-${Math.random()}", emailDomain: "rl.example", planTier: FREE}) { id } }`,
      }),
    );
    return res.body.data.createAccount.id as string;
  }
  const owner = (accountId: string, subject?: string) => mintDevToken(dev.privateKey, { role: 'OWNER', accountId, subject });

  it('shares one account’s 60 requests a minute between two gateways', async () => {
    const token = await owner(await freeAccount());
    for (let i = 1; i <= 60; i++) {
      const r = await post(i % 2 ? stack.url : second, token);
      expect(r.status).toBe(200);
      expect(r.headers.get('x-ratelimit-remaining')).toBe(String(60 - i)); // each replica sees the other's requests
    }
    expect((await post(stack.url, token)).status).toBe(429);
    expect((await post(second, token)).status).toBe(429);
  }, 180_000);

  it('lets exactly 60 of 90 concurrent requests through, however they land on the replicas', async () => {
    const acct = await freeAccount();
    const tokens = await Promise.all(Array.from({ length: 90 }, (_, i) => owner(acct, `user-${i}`)));
    const statuses = await Promise.all(tokens.map((t, i) => post(i % 2 ? stack.url : second, t).then((r) => r.status)));
    expect(statuses.sort()).toEqual([...Array(60).fill(200), ...Array(30).fill(429)]);
  }, 180_000);

  it('shares one account’s WebSocket connection slots between replicas, and frees them on release', async () => {
    const deps = { planOf: async () => 'FREE', log: testLogger() };
    const a = (await createEdgeLimiter(shared, deps))!;
    const b = (await createEdgeLimiter(shared, deps))!;
    try {
      const p = principal({ accountId: (await freeAccount()).toLowerCase(), roles: ['OWNER'] });
      const first = await a.openConnection(p);
      expect(first).toMatchObject({ allowed: true, limit: 1 });
      expect(await b.openConnection(p)).toMatchObject({ allowed: false, limit: 1 });
      first.release();
      first.release(); // once only: a second release frees nobody else's slot
      const again = await b.openConnection(p);
      expect(again.allowed).toBe(true);
      expect((await a.openConnection(p)).allowed).toBe(false);
      again.release();
    } finally {
      await a.close();
      await b.close();
    }
  }, 180_000);

  it('counts apart two deployments sharing one Redis under different key prefixes (COCKPIT_RATE_LIMIT_REDIS_PREFIX)', async () => {
    const run = Math.random().toString(36).slice(2);
    const [a1, a2, b] = await Promise.all([
      env.gatewayWith({ ...shared, redisPrefix: `dep-a-${run}:` }),
      env.gatewayWith({ ...shared, redisPrefix: `dep-a-${run}:` }),
      env.gatewayWith({ ...shared, redisPrefix: `dep-b-${run}:` }),
    ]);
    const token = await owner(await freeAccount());
    expect((await post(a1.url, token)).headers.get('x-ratelimit-remaining')).toBe('59');
    expect((await post(a2.url, token)).headers.get('x-ratelimit-remaining')).toBe('58'); // same prefix: shared
    expect((await post(b.url, token)).headers.get('x-ratelimit-remaining')).toBe('59'); // other prefix: its own
    expect((await post(b.url, token)).headers.get('x-ratelimit-remaining')).toBe('58');
    expect((await post(a1.url, token)).headers.get('x-ratelimit-remaining')).toBe('57');
  }, 180_000);

  it('keeps serving, limited by the replica alone, while Redis is unreachable (fails over to in-process counters)', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const { url } = await env.gatewayWith({ ...shared, redisUrl: `redis://127.0.0.1:${port}` });
    const token = await owner(await freeAccount());
    for (let i = 1; i <= 60; i++) expect((await post(url, token)).status).toBe(200);
    const refused = await post(url, token);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-ratelimit-limit')).toBe('60');
  }, 180_000);
});
