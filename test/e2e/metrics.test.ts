import { ok, startTestStack, type TestStack } from '../support/stack';

/** Prometheus metrics: the gateway's behind a scraper token, each subgraph's on its own /metrics. */
describe('metrics', () => {
  let s: TestStack;
  let account: string;
  const scrapeToken = 'scrape-token-0123456789';
  const scrape = async (url: string, token?: string) => {
    const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
  /** The value of one series (name and exact label set as Prometheus prints them). */
  const value = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };
  const gatewayMetrics = () => s.url.replace(/\/graphql$/, '/metrics');
  const subgraphMetrics = (name: 'identity' | 'budgets' | 'observability') => s.subgraphUrls[name].replace(/\/graphql$/, '/metrics');

  beforeAll(async () => {
    s = await startTestStack({ edge: { metricsToken: scrapeToken } });
    account = ok(
      await s.gql(
        `mutation { createAccount(input: { name: "Metered", emailDomain: "metered.example", planTier: FREE }) { id } }`,
        {},
        { token: s.masterKey },
      ),
    ).createAccount.id;
  });
  afterAll(() => s.close());

  it("the gateway's metrics answer only the scraper's token", async () => {
    expect((await scrape(gatewayMetrics())).status).toBe(404);
    expect((await scrape(gatewayMetrics(), 'wrong')).status).toBe(404);
    const m = await scrape(gatewayMetrics(), scrapeToken);
    expect(m.status).toBe(200);
    expect(m.type).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('counts operations by name and outcome, errors by code, and fetches by subgraph', async () => {
    const before = (await scrape(gatewayMetrics(), scrapeToken)).text;
    for (let i = 0; i < 3; i++)
      ok(await s.gql(`query Dashboard { account { name budgetPlan { monthlyCredits } } }`, {}, { token: s.masterKey, accountId: account }));
    const viewer = await s.tokenFor('VIEWER', account);
    const refused = await s.gql(`mutation Refused { createOrg(input: { name: "No", domain: COPILOT }) { id } }`, {}, { token: viewer });
    expect(refused.body.errors?.[0].extensions.code).toBe('FORBIDDEN');

    const after = (await scrape(gatewayMetrics(), scrapeToken)).text;
    const delta = (series: string) => (value(after, series) ?? 0) - (value(before, series) ?? 0);
    expect(delta('cockpit_graphql_request_duration_seconds_count{service="gateway",operation="Dashboard",outcome="ok"}')).toBe(3);
    expect(delta('cockpit_graphql_request_duration_seconds_count{service="gateway",operation="Refused",outcome="error"}')).toBe(1);
    expect(delta('cockpit_graphql_errors_total{service="gateway",code="FORBIDDEN"}')).toBe(1);
    // identity answered the account, budgets the plan: each fetch counted against its subgraph
    expect(delta('cockpit_subgraph_fetch_duration_seconds_count{subgraph="budgets",outcome="ok"}')).toBeGreaterThanOrEqual(3);
    expect(delta('cockpit_subgraph_fetch_duration_seconds_count{subgraph="identity",outcome="ok"}')).toBeGreaterThanOrEqual(3);
    expect(value(after, 'cockpit_subgraph_breaker_state{service="gateway",subgraph="budgets"}')).toBe(0);

    // the subgraph counts the gateway's fetches under the client's operation name
    const identity = (await scrape(subgraphMetrics('identity'))).text;
    expect(value(identity, 'cockpit_graphql_request_duration_seconds_count{service="identity",operation="Dashboard",outcome="ok"}')).toBe(
      3,
    );
    expect(value(identity, 'cockpit_db_pool_waiting{service="identity"}')).toBe(0);
    expect(value(identity, 'cockpit_outbox_backlog{service="identity"}')).toBeGreaterThanOrEqual(0);
    expect(value(identity, 'cockpit_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts ingested events by sender and live sockets on the gateway', async () => {
    const before = value((await scrape(subgraphMetrics('observability'))).text, 'cockpit_ingested_events_total{from="identity"}') ?? 0;
    ok(
      await s.gql(
        `mutation { createOrg(input: { name: "Counted", domain: COPILOT }) { id } }`,
        {},
        { token: s.masterKey, accountId: account },
      ),
    );
    // the audit event reaches observability through the outbox relay
    for (let i = 0; i < 100; i++) {
      const now = value((await scrape(subgraphMetrics('observability'))).text, 'cockpit_ingested_events_total{from="identity"}') ?? 0;
      if (now > before) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(value((await scrape(subgraphMetrics('observability'))).text, 'cockpit_ingested_events_total{from="identity"}')).toBeGreaterThan(
      before,
    );

    const owner = await s.tokenFor('OWNER', account);
    const client = s.wsClient(owner);
    const seen: unknown[] = [];
    const stop = client.subscribe(
      { query: 'subscription { events { type } }' },
      { next: (m) => seen.push(m), error: () => {}, complete: () => {} },
    );
    let sockets = 0;
    for (let i = 0; i < 100 && sockets < 1; i++) {
      sockets = value((await scrape(gatewayMetrics(), scrapeToken)).text, 'cockpit_live_sockets{service="gateway"}') ?? 0;
      if (sockets < 1) await new Promise((r) => setTimeout(r, 50));
    }
    expect(sockets).toBeGreaterThanOrEqual(1);
    stop();
  });
});
