import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { callersOf, freshDatabase, generateInternalKeys, SERVICE_CALLS, SUBGRAPH_NAMES, type SubgraphName } from '@cockpit/kit';
import { generateSecretKeys } from '@cockpit/catalog';
import { gatewayEnv, startService, type ServiceProcess } from '../support/processes';

// LISTEN/NOTIFY, which carries the live feed between observability replicas, needs real PostgreSQL
// sessions: PGlite's socket connections share one, so without DATABASE_URL there is nothing to test.
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

type Event = { seq: number; cursor: string; type: string };
const FEED = `subscription($after: String) { feed: events(after: $after) { seq cursor type } }`;

/**
 * Replicas as deployed, every service a process of its own on one PostgreSQL database: gateway A on
 * observability replica 1, gateway B on replica 2, the other four subgraphs once (their outboxes deliver to
 * replica 2), both gateways on one Redis for rate limits.
 */
onPostgres('replicas: two gateways and two observability processes on one PostgreSQL', () => {
  const procs: ServiceProcess[] = [];
  let dir: string;
  let db: { url: string; close(): Promise<void> };
  let gwA: ServiceProcess;
  let gwB: ServiceProcess;
  let obs1: ServiceProcess;
  const clients: Client[] = [];
  const masterKey = `mk-${randomBytes(24).toString('hex')}`;
  let team: string; // account whose events are streamed
  let teamKey: string;

  const gql = async (url: string, query: string, variables: Record<string, unknown> = {}, token = teamKey, accountId?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    if (accountId) headers['x-account-id'] = accountId;
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const text = await res.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = { text };
    }
    return { status: res.status, body };
  };
  const ok = (r: { status: number; body: any }) => {
    if (r.status !== 200 || r.body.errors?.length) throw new Error(`HTTP ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body.data;
  };
  const createOrg = (url: string, name: string) =>
    gql(url, `mutation($n: String!) { createOrg(input: { name: $n, domain: COPILOT }) { id } }`, { n: name }).then(ok);
  const ws = (url: string, token: string) => {
    const c = createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      lazy: true,
    });
    clients.push(c);
    return c;
  };
  const collect = (client: Client, after: string | null) => {
    const got: Event[] = [];
    let closed: unknown;
    const ended = new Promise<void>((resolve) => {
      client.subscribe<{ feed: Event }>(
        { query: FEED, variables: { after } },
        {
          next: (r) => (r.data?.feed ? got.push(r.data.feed) : (closed = r.errors)),
          error: (e) => {
            closed = e;
            resolve();
          },
          complete: () => resolve(),
        },
      );
    });
    return { got, ended, closed: () => closed };
  };
  const until = async (check: () => boolean, what: string, ms = 30_000, probe?: () => Promise<void>) => {
    const deadline = Date.now() + ms;
    for (;;) {
      await probe?.();
      if (check()) return;
      if (Date.now() > deadline) throw new Error(`never: ${what}`);
      await new Promise((r) => setTimeout(r, probe ? 250 : 50)); // a probe spends the account's requests
    }
  };
  // the set-up's events (account.created, api_key.created, a revocation) may still be on their way
  // through the outbox when a test subscribes: the writes under test are the org.created ones
  const orgs = (got: Event[]) => got.filter((e) => e.type === 'org.created');
  const auditCursor = async (url: string) => {
    const edges = ok(await gql(url, `{ auditLog(first: 1) { totalCount edges { node { cursor } } } }`)).auditLog;
    return edges;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cockpit-replicas-'));
    db = await freshDatabase();
    const pair = () => generateInternalKeys();
    const gateway = pair();
    const keys = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, pair()])) as Record<SubgraphName, ReturnType<typeof pair>>;
    const urls = {} as Record<SubgraphName, string>;
    const subgraphEnv = (name: SubgraphName, observabilityUrl: string): NodeJS.ProcessEnv => {
      const env: NodeJS.ProcessEnv = {
        NODE_ENV: 'development',
        PORT: '0',
        LOG_LEVEL: 'warn',
        DATABASE_URL: db.url,
        COCKPIT_GATEWAY_PUBLIC_KEY: gateway.publicKeyPem,
        COCKPIT_SERVICE_KEY: keys[name].privateKeyPem,
        COCKPIT_OBSERVABILITY_URL: observabilityUrl,
      };
      for (const c of callersOf(name)) env[`COCKPIT_${c.toUpperCase()}_PUBLIC_KEY`] = keys[c].publicKeyPem;
      for (const c of SERVICE_CALLS[name] ?? []) env[`COCKPIT_${c.toUpperCase()}_URL`] = urls[c];
      if (name === 'catalog') env.COCKPIT_SECRET_KEYS = generateSecretKeys('replicas');
      return env;
    };
    const sub = async (name: SubgraphName, observabilityUrl: string) => {
      // LOG_LEVEL warn hides the "listening" line; info for the start, it is one line
      const p = await startService(`subgraphs/${name}/src/main.ts`, { ...subgraphEnv(name, observabilityUrl), LOG_LEVEL: 'info' });
      procs.push(p);
      return p;
    };
    try {
      // replica 1 migrates the schema; replica 2 starts on it
      obs1 = await sub('observability', 'http://127.0.0.1:9/unused');
      const obs2 = await sub('observability', 'http://127.0.0.1:9/unused');
      urls.observability = obs2.url; // the outboxes deliver to replica 2, the one that survives
      [urls.identity, urls.guardrails] = (await Promise.all([sub('identity', obs2.url), sub('guardrails', obs2.url)])).map((p) => p.url);
      urls.catalog = (await sub('catalog', obs2.url)).url;
      urls.budgets = (await sub('budgets', obs2.url)).url;
      const gatewayOn = (observability: string) =>
        gatewayEnv({
          dir,
          gatewayPrivateKeyPem: gateway.privateKeyPem,
          identityPublicKeyPem: keys.identity.publicKeyPem,
          masterKey,
          subgraphUrls: { ...urls, observability },
          extra: {
            COCKPIT_RATE_LIMIT_STORE: 'redis',
            COCKPIT_REDIS_URL: process.env.COCKPIT_REDIS_URL ?? 'redis://127.0.0.1:6379',
            COCKPIT_API_KEY_CACHE_SECONDS: '30',
          },
        });
      [gwA, gwB] = await Promise.all([
        startService('gateway/src/main.ts', gatewayOn(obs1.url)),
        startService('gateway/src/main.ts', gatewayOn(obs2.url)),
      ]);
      procs.push(gwA, gwB);
    } catch (err) {
      for (const p of procs) await p.kill();
      throw err;
    }
    // a TEAM account (600 requests/min, shared by both gateways) and an ADMIN key in it
    team = ok(
      await gql(
        gwA.url,
        `mutation { createAccount(input: { name: "Replicas", emailDomain: "replicas.example", planTier: TEAM }) { id } }`,
        {},
        masterKey,
      ),
    ).createAccount.id;
    teamKey = ok(await gql(gwB.url, `mutation { createApiKey(input: { name: "replicas", tier: ADMIN }) { secret } }`, {}, masterKey, team))
      .createApiKey.secret;
  }, 120_000);
  afterAll(async () => {
    for (const c of clients) await Promise.resolve(c.dispose()).catch(() => {});
    await Promise.all(procs.map((p) => p.kill()));
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a subscriber on gateway A receives every event of writes made through gateway B, in order, once', async () => {
    const start = await auditCursor(gwA.url);
    const feed = collect(ws(gwA.url, teamKey), start.edges[0]?.node.cursor ?? null);
    const N = 12;
    const names: string[] = [];
    for (let i = 0; i < N; i++) names.push((await createOrg(gwB.url, `org-b-${i}`)).createOrg.id);
    await until(() => orgs(feed.got).length >= N, `${N} events on A`);
    await new Promise((r) => setTimeout(r, 500)); // room for a double to show
    expect(orgs(feed.got)).toHaveLength(N);
    const seqs = feed.got.map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(feed.got.map((e) => e.cursor)).size).toBe(feed.got.length);
  });

  it("an account plan's rate limit holds across both gateways (one Redis)", async () => {
    const free = ok(
      await gql(
        gwA.url,
        `mutation { createAccount(input: { name: "Replicas Free", emailDomain: "free.example", planTier: FREE }) { id } }`,
        {},
        masterKey,
      ),
    ).createAccount.id;
    const key = ok(await gql(gwA.url, `mutation { createApiKey(input: { name: "free", tier: ADMIN }) { secret } }`, {}, masterKey, free))
      .createApiKey.secret;
    // FREE: 60 requests a minute for the account, whichever gateway answers; alternate A and B
    const statuses: { gw: 'A' | 'B'; status: number }[] = [];
    for (let i = 0; i < 70; i++) {
      const gw = i % 2 ? 'B' : 'A';
      statuses.push({ gw, status: (await gql(gw === 'A' ? gwA.url : gwB.url, `{ viewer { kind } }`, {}, key)).status });
    }
    const accepted = statuses.filter((s) => s.status === 200).length;
    expect(accepted).toBeLessThanOrEqual(60); // one budget: two separate ones would have let all 70 through
    expect(accepted).toBeGreaterThanOrEqual(55);
    const refused = statuses.findIndex((s) => s.status === 429);
    expect(refused).toBeGreaterThan(0);
    // once spent, both gateways refuse
    const after = statuses.slice(refused);
    expect(after.every((s) => s.status === 429)).toBe(true);
    expect(new Set(after.map((s) => s.gw))).toEqual(new Set(['A', 'B']));
  });

  it('a key revoked through gateway A is refused by gateway B before its 30 s cache would expire', async () => {
    const created = ok(
      await gql(gwA.url, `mutation { createApiKey(input: { name: "to revoke", tier: ADMIN }) { secret apiKey { id } } }`),
    ).createApiKey;
    expect(ok(await gql(gwB.url, `{ viewer { kind } }`, {}, created.secret)).viewer.kind).toBe('API_KEY'); // B caches it
    ok(await gql(gwA.url, `mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: created.apiKey.id }));
    // identity's credentials.changed reaches B through observability replica 2, not B's cache expiry (30 s)
    let status = 0;
    await until(
      () => status === 401,
      'B refusing the revoked key',
      20_000,
      async () => void (status = (await gql(gwB.url, `{ viewer { kind } }`, {}, created.secret)).status),
    );
    expect(status).toBe(401);
  });

  it('a subscriber whose observability replica is killed reconnects with its cursor and misses nothing', async () => {
    const start = await auditCursor(gwA.url);
    const feed = collect(ws(gwA.url, teamKey), start.edges[0].node.cursor);
    for (let i = 0; i < 3; i++) await createOrg(gwB.url, `before-kill-${i}`);
    await until(() => orgs(feed.got).length >= 3, '3 events before the kill');
    await obs1.kill(); // SIGKILL mid-stream
    // writes go on while the subscriber is cut off
    const during = Promise.all([0, 1, 2, 3].map((i) => createOrg(gwB.url, `during-${i}`)));
    await feed.ended;
    expect(feed.closed()).toBeTruthy();
    await during;
    const last = feed.got[feed.got.length - 1].cursor;
    // gateway A knows one observability URL, now dead: the client reconnects through gateway B
    const again = collect(ws(gwB.url, teamKey), last);
    for (let i = 0; i < 2; i++) await createOrg(gwB.url, `after-${i}`);
    const expected = 3 + 4 + 2;
    await until(() => orgs([...feed.got, ...again.got]).length >= expected, `${expected} events across the reconnect`);
    await new Promise((r) => setTimeout(r, 500)); // room for a double to show
    const all = [...feed.got, ...again.got];
    expect(orgs(all)).toHaveLength(expected);
    expect(new Set(all.map((e) => e.cursor)).size).toBe(all.length);
    const seqs = all.map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });
});
