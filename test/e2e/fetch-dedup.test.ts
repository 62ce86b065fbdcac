import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SubgraphName } from '@cockpit/kit';
import { createGateway, type Gateway } from '@cockpit/gateway';
import { codeOf, eventually, ok, startTestStack, type GqlResult, type TestStack } from '../support/stack';

interface Call {
  subgraph: SubgraphName;
  query: string;
}

/**
 * A loopback proxy in front of each subgraph: it records every call and passes
 * it on at once; while `hold` says so, it keeps the subgraph's answer until
 * `release()`, so calls stay in flight as long as a test needs them to.
 */
class Upstream {
  calls: Call[] = [];
  hold: ((query: string) => boolean) | null = null;
  private readonly held: (() => void)[] = [];
  private readonly servers: Server[] = [];

  get waiting(): number {
    return this.held.length;
  }

  count(subgraph: SubgraphName, pick: (query: string) => boolean = () => true): number {
    return this.calls.filter((c) => c.subgraph === subgraph && pick(c.query)).length;
  }

  release(): void {
    for (const go of this.held.splice(0)) go();
  }

  async front(subgraph: SubgraphName, target: string): Promise<string> {
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      // the gateway's GraphQL fetches; not its internal routes (credential lookups) or readiness probes
      const graphql = req.method === 'POST' && (req.url ?? '').endsWith('/graphql');
      const query = graphql ? String((JSON.parse(body.toString('utf8')) as { query?: string }).query ?? '') : '';
      if (graphql) this.calls.push({ subgraph, query });
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)),
      ) as Record<string, string>;
      const answer = await fetch(new URL(req.url ?? '/', target), {
        method: req.method,
        headers,
        body: req.method === 'POST' ? body : undefined,
      });
      const text = await answer.text();
      if (graphql && this.hold?.(query)) await new Promise<void>((go) => this.held.push(go));
      const out: Record<string, string> = {};
      answer.headers.forEach((v, k) => {
        if (!['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)) out[k] = v;
      });
      res.writeHead(answer.status, out).end(text);
    });
    this.servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}${new URL(target).pathname}`;
  }

  async close(): Promise<void> {
    this.release();
    for (const s of this.servers) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  }
}

const isQuery = (q: string) => !q.trimStart().startsWith('mutation');

/** Item 4 of the performance issue: identical in-flight subgraph fetches of one principal's queries share one call. */
describe('in-flight subgraph fetch deduplication', () => {
  let s: TestStack;
  let up: Upstream;
  let gw: Gateway;
  let url: string;
  let acme: string;
  let initech: string;

  /** POSTs to the gateway in front of the proxies. */
  const gql = async (query: string, variables: Record<string, unknown>, as: { token: string; accountId?: string }): Promise<GqlResult> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${as.token}` };
    if (as.accountId) headers['x-account-id'] = as.accountId;
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return { status: res.status, headers: res.headers, body: (await res.json()) as GqlResult['body'] };
  };
  const shared = () => gw.fetchDedup!.shared;

  beforeAll(async () => {
    s = await startTestStack();
    up = new Upstream();
    // identity and budgets behind the proxy; the others (observability's live feed among them) direct
    const urls = { ...s.subgraphUrls };
    for (const name of ['identity', 'budgets'] as const) urls[name] = await up.front(name, s.subgraphUrls[name]);
    gw = await createGateway({ ...s.gatewayConfig, subgraphUrls: urls, logLevel: 'silent' }, s.log.child({ service: 'gateway-dedup' }));
    url = await gw.listen(0);
    const CREATE = `mutation($n: String!, $d: String!) { createAccount(input: { name: $n, emailDomain: $d, planTier: TEAM }) { id } }`;
    acme = ok(await gql(CREATE, { n: 'Acme Dedup', d: 'acme.example' }, { token: s.masterKey })).createAccount.id;
    initech = ok(await gql(CREATE, { n: 'Initech Dedup', d: 'initech.example' }, { token: s.masterKey })).createAccount.id;
    ok(
      await gql(`mutation { setBudgetPlan(input: { monthlyCredits: "1000" }) { accountId } }`, {}, { token: s.masterKey, accountId: acme }),
    );
    ok(
      await gql(
        `mutation { createApiKey(input: { name: "deploy", tier: ADMIN }) { secret } }`,
        {},
        { token: s.masterKey, accountId: acme },
      ),
    );
  });
  afterEach(() => {
    up.hold = null;
    up.release();
  });
  afterAll(async () => {
    await gw?.close();
    await up?.close();
    await s?.close();
  });

  it('answers N concurrent identical requests of one principal with one upstream call per subgraph fetch', async () => {
    const N = 6;
    const QUERY = `{ account { id name budgetPlan { monthlyCredits } } }`;
    up.calls = [];
    up.hold = isQuery;
    const before = shared();
    const answers = Array.from({ length: N }, () => gql(QUERY, {}, { token: s.masterKey, accountId: acme }));

    // the account fetch (identity): one call whose answer waits at the proxy, the other N-1 requests joined it
    await eventually(async () => up.waiting + (shared() - before) >= N);
    expect(up.count('identity')).toBe(1);
    up.release();
    // then the budget plan (budgets' `_entities`): again one call for all N
    await eventually(async () => up.waiting + (shared() - before - (N - 1)) >= N);
    expect(up.count('budgets')).toBe(1);
    up.release();

    for (const r of await Promise.all(answers))
      expect(ok(r)).toEqual({ account: { id: acme, name: 'Acme Dedup', budgetPlan: { monthlyCredits: '1000' } } });
    expect(shared() - before).toBe(2 * (N - 1));
    expect(up.calls.map((c) => c.subgraph).sort()).toEqual(['budgets', 'identity']);
  });

  it('never shares a call between two accounts', async () => {
    up.calls = [];
    up.hold = isQuery;
    const before = shared();
    const QUERY = `{ account { id name } }`;
    const answers = [acme, initech].map((accountId) => gql(QUERY, {}, { token: s.masterKey, accountId }));
    await eventually(async () => up.waiting + (shared() - before) >= 2);
    expect(shared() - before).toBe(0);
    expect(up.count('identity')).toBe(2);
    up.release();
    const [a, b] = await Promise.all(answers);
    expect(ok(a).account).toEqual({ id: acme, name: 'Acme Dedup' });
    expect(ok(b).account).toEqual({ id: initech, name: 'Initech Dedup' });
  });

  it('never shares a call between two roles of one user in one account', async () => {
    // the same subject and account: the principals differ only in their roles
    const admin = await s.tokenFor('ADMIN', acme, 'alex');
    const viewer = await s.tokenFor('VIEWER', acme, 'alex');
    up.calls = [];
    up.hold = isQuery;
    const before = shared();
    const QUERY = `{ apiKeys { nodes { name } } }`;
    const answers = [admin, viewer].map((token) => gql(QUERY, {}, { token }));
    await eventually(async () => up.waiting + (shared() - before) >= 2);
    expect(shared() - before).toBe(0);
    expect(up.count('identity')).toBe(2);
    up.release();
    const [a, v] = await Promise.all(answers);
    expect(ok(a).apiKeys.nodes).toEqual([{ name: 'deploy' }]);
    expect(codeOf(v)).toBe('FORBIDDEN');
  });

  it('never shares a mutation: two identical concurrent createAccount both run, one is a CONFLICT', async () => {
    up.calls = [];
    up.hold = () => true;
    const before = shared();
    const CREATE = `mutation { createAccount(input: { name: "Twin", emailDomain: "twin.example", planTier: FREE }) { id name } }`;
    const answers = [1, 2].map(() => gql(CREATE, {}, { token: s.masterKey }));
    // both reached identity and both answers are waiting at the proxy
    await eventually(async () => up.waiting + (shared() - before) >= 2);
    expect(shared() - before).toBe(0);
    expect(up.count('identity', (q) => q.includes('createAccount'))).toBe(2);
    up.release();
    const results = await Promise.all(answers);
    expect(results.map((r) => (r.body.errors ? codeOf(r) : r.body.data.createAccount.name)).sort()).toEqual(['CONFLICT', 'Twin']);
  });

  it('a read that starts after a write never joins a call that was in flight before it', async () => {
    const QUERY = `{ account { id name } }`;
    up.calls = [];
    up.hold = (q) => isQuery(q) && q.includes('account');
    const before = shared();
    // a read whose answer was made before the write, kept in flight
    const early = gql(QUERY, {}, { token: s.masterKey, accountId: initech });
    await eventually(async () => up.waiting >= 1);
    ok(
      await gql(
        `mutation($id: ID, $n: String) { updateAccount(id: $id, input: { name: $n }) { id } }`,
        { id: initech, n: 'Initech Renamed' },
        { token: s.masterKey },
      ),
    );
    // the same read, after the write answered: its own call
    const late = gql(QUERY, {}, { token: s.masterKey, accountId: initech });
    await eventually(async () => up.waiting + (shared() - before) >= 2);
    expect(shared() - before).toBe(0);
    up.hold = null;
    up.release();
    expect(ok(await early).account.name).toBe('Initech Dedup');
    expect(ok(await late).account.name).toBe('Initech Renamed');
    // and once nothing is in flight, a read is a call of its own too
    expect(ok(await gql(QUERY, {}, { token: s.masterKey, accountId: initech })).account.name).toBe('Initech Renamed');
    expect(shared() - before).toBe(0);
  });
});
