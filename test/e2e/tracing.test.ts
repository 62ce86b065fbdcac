import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase } from '@cockpit/kit';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';
import { eventually, ok, startTestStack, type TestStack } from '../support/stack';

const SERVER = 2;
/** The trace the client of one test starts (its parent span is the client's, never exported here). */
const CLIENT_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT = 3;
const PRODUCER = 4;

/** The files of the tracing SDK, its exporter and its context manager: a process with tracing off loads none of them. */
const TRACE_SDK = /[\\/]node_modules[\\/]@opentelemetry[\\/](sdk-trace-base|sdk-trace|exporter-trace-otlp-http|context-async-hooks)[\\/]/;

const byId = (spans: ReceivedSpan[]) => new Map(spans.map((s) => [s.spanId, s]));
/** `span`'s ancestors, nearest first (as far as the collected spans reach). */
function ancestors(span: ReceivedSpan, all: Map<string, ReceivedSpan>): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (let p = all.get(span.parentSpanId); p; p = all.get(p.parentSpanId)) out.push(p);
  return out;
}
/** One root, and every other span's parent among the trace's spans: nothing was lost on the way. */
function expectConnected(trace: ReceivedSpan[]) {
  const ids = byId(trace);
  const roots = trace.filter((s) => !s.parentSpanId);
  expect(roots).toHaveLength(1);
  expect(trace.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId))).toEqual([]);
  return roots[0];
}

describe('OpenTelemetry tracing through the stack', () => {
  let receiver: OtlpReceiver;
  let s: TestStack;
  let superToken: string;
  let account: string;
  let admin: string;

  const flushAll = async () => {
    await s.gateway.tracing.forceFlush();
    for (const sg of Object.values(s.subgraphs)) await sg.tracing.forceFlush();
  };
  const traceOf = (id: string) => receiver.spans.filter((x) => x.traceId === id);
  const gatewayRoot = (operation: string) =>
    receiver.spans.find((x) => x.service === 'gateway' && x.kind === SERVER && x.attributes['graphql.operation.name'] === operation);

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    s = await startTestStack({ tracing: { url: receiver.url } });
    superToken = await s.tokenFor('SUPER_ADMIN');
  });
  afterAll(async () => {
    await s?.close();
    await receiver?.close();
  });

  it('a mutation is one trace from the gateway through the write and its outbox row to observability’s ingest', async () => {
    const created = ok(
      await s.gql(
        `mutation CreateTracedAccount { createAccount(input: { name: "Traced", emailDomain: "traced.example", planTier: TEAM }) { id } }`,
        {},
        { token: superToken },
      ),
    );
    account = created.createAccount.id;
    admin = await s.tokenFor('ADMIN', account);

    // the relay delivers after the commit, on its own time: wait until observability's side of that trace is exported
    const trace = await eventually(async () => {
      await flushAll();
      const root = gatewayRoot('CreateTracedAccount');
      const spans = root ? traceOf(root.traceId) : [];
      const delivered = spans.some((x) => x.name === 'outbox publish');
      return delivered && spans.some((x) => x.service === 'observability' && x.name === 'POST /internal/ingest') && spans;
    });
    const ids = byId(trace);
    const root = expectConnected(trace);
    expect(root).toMatchObject({ service: 'gateway', name: 'POST /graphql', kind: SERVER });
    expect(root.attributes).toMatchObject({ 'graphql.operation.type': 'mutation', 'http.response.status_code': 200 });

    const plan = trace.find((x) => x.name === 'graphql.plan')!;
    expect(plan.parentSpanId).toBe(root.spanId);
    const fetch = trace.find((x) => x.service === 'gateway' && x.kind === CLIENT && x.name === 'POST identity')!;
    expect(fetch.parentSpanId).toBe(root.spanId);
    const served = trace.find((x) => x.service === 'identity' && x.kind === SERVER && x.name === 'POST /graphql')!;
    expect(served.parentSpanId).toBe(fetch.spanId);
    const tx = trace.find((x) => x.service === 'identity' && x.name === 'db transaction')!;
    expect(ancestors(tx, ids)).toContain(served);

    // the outbox row carried the writer's traceparent: the relay's delivery is a child of the write's transaction
    const publish = trace.find((x) => x.service === 'identity' && x.name === 'outbox publish')!;
    expect(publish).toMatchObject({ kind: PRODUCER, parentSpanId: tx.spanId });
    expect(publish.attributes['messaging.batch.message_count']).toBeGreaterThanOrEqual(1);
    const call = trace.find((x) => x.service === 'identity' && x.kind === CLIENT && x.parentSpanId === publish.spanId)!;
    const ingest = trace.find((x) => x.service === 'observability' && x.name === 'POST /internal/ingest')!;
    expect(ingest).toMatchObject({ kind: SERVER, parentSpanId: call.spanId });

    // and the row itself kept it until delivered (the column the migrations added)
    const columns: { column_name: string }[] = await s.subgraphs.identity.orm.em
      .getConnection()
      .execute(`select column_name from information_schema.columns where table_schema = 'identity' and table_name = 'outbox'`);
    expect(columns.map((c) => c.column_name)).toContain('traceparent');
  });

  it('a query across two subgraphs is one trace: request, plan, a fetch per subgraph, their server spans and read batches', async () => {
    ok(await s.gql(`query TracedAccountPlan { account { name budgetPlan { monthlyCredits } } }`, {}, { token: admin }));
    const trace = await eventually(async () => {
      await flushAll();
      const root = gatewayRoot('TracedAccountPlan');
      const spans = root ? traceOf(root.traceId) : [];
      // the gateway's span ends last: once it is here, so is everything it waited for
      return spans.some((x) => x.service === 'budgets' && x.kind === SERVER) && spans.some((x) => x.name === 'db read') && spans;
    });
    const ids = byId(trace);
    const root = expectConnected(trace);
    expect(root.attributes['graphql.operation.type']).toBe('query');
    expect(trace.filter((x) => x.name === 'graphql.plan').map((x) => x.parentSpanId)).toEqual([root.spanId]);

    for (const subgraph of ['identity', 'budgets']) {
      const fetches = trace.filter((x) => x.service === 'gateway' && x.kind === CLIENT && x.name === `POST ${subgraph}`);
      expect(fetches.length).toBeGreaterThan(0);
      for (const f of fetches) expect(f.parentSpanId).toBe(root.spanId);
      // (the gateway's credential lookups on identity's internal routes are server spans of their own, not /graphql)
      const served = trace.filter((x) => x.service === subgraph && x.kind === SERVER && x.name === 'POST /graphql');
      expect(served.map((x) => x.parentSpanId).sort()).toEqual(fetches.map((f) => f.spanId).sort());
    }
    // each read batch sits under the server span of the subgraph that ran it
    const reads = trace.filter((x) => x.name === 'db read');
    expect(reads.length).toBeGreaterThan(0);
    for (const r of reads) {
      const server = ancestors(r, ids).find((a) => a.kind === SERVER)!;
      expect(server.service).toBe(r.service);
      expect(r.attributes['db.namespace']).toBe(r.service);
    }
  });

  it('a service-to-service call (ctx.callService) carries the trace to the service it calls', async () => {
    // creating an agent definition first asks guardrails whether its presets exist (catalog → guardrails); this one does not
    const r = await s.gql(
      `mutation TracedAgentCheck($i: CreateAgentDefinitionInput!) { createAgentDefinition(input: $i) { id } }`,
      { i: { name: 'Traced', defaultModelId: randomUUID(), guardrailPresetIds: [randomUUID()] } },
      { token: admin },
    );
    expect(r.body.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    const trace = await eventually(async () => {
      await flushAll();
      const root = gatewayRoot('TracedAgentCheck');
      return root && traceOf(root.traceId);
    });
    const ids = byId(trace);
    expectConnected(trace);
    const call = trace.find((x) => x.service === 'catalog' && x.kind === CLIENT && x.name.startsWith('POST guardrails /internal/'))!;
    expect(ancestors(call, ids).find((a) => a.kind === SERVER)?.service).toBe('catalog');
    const served = trace.find((x) => x.service === 'guardrails' && x.kind === SERVER)!;
    expect(served.parentSpanId).toBe(call.spanId);
    expect(served.name).toBe(`POST ${call.name.slice('POST guardrails '.length)}`);
  });

  it('continues a trace the client started (W3C traceparent)', async () => {
    const traceId = CLIENT_TRACE_ID;
    const parent = '00f067aa0ba902b7';
    ok(
      await s.gql(
        `query ClientTraced { viewer { superAdmin } }`,
        {},
        { token: admin, headers: { traceparent: `00-${traceId}-${parent}-01` } },
      ),
    );
    const root = await eventually(async () => {
      await flushAll();
      return gatewayRoot('ClientTraced');
    });
    expect(root).toMatchObject({ traceId, parentSpanId: parent });
  });

  it('lost no span: every exported span’s parent was exported too (but the client’s own)', async () => {
    const orphans = () => {
      const ids = new Set(receiver.spans.map((x) => x.spanId));
      return receiver.spans.filter((x) => x.parentSpanId && !ids.has(x.parentSpanId) && x.traceId !== CLIENT_TRACE_ID);
    };
    // a parent still open (a delivery in flight) is exported when it ends: wait for that, then there must be none
    await eventually(async () => {
      await flushAll();
      return orphans().length === 0;
    }, 10_000).catch(() => undefined);
    expect(receiver.spans.length).toBeGreaterThan(20);
    expect(orphans()).toEqual([]);
  });
});

describe('tracing set by the OTEL_* variables of `cockpit up` (gateway and subgraph processes)', () => {
  let receiver: OtlpReceiver;
  let db: { url: string; close(): Promise<void> } | undefined;
  let child: ChildProcess | undefined;
  // one home (and one database) for both runs: the second finds the first's admin key
  const home = mkdtempSync(join(tmpdir(), 'cockpit-tracing-'));
  const ROOT = join(__dirname, '..', '..');
  const LOADED_MODULES = join(ROOT, 'test', 'support', 'loaded-modules.cjs');

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    if (process.env.DATABASE_URL) db = await freshDatabase();
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await db?.close();
    await receiver.close();
  });

  /** `npm start` with `env`, two processes, each listing what it loaded on exit; one query, then SIGTERM. */
  async function upQueryStop(env: NodeJS.ProcessEnv): Promise<{ gateway: string[]; subgraphs: string[] }> {
    const loaded = mkdtempSync(join(tmpdir(), 'cockpit-loaded-'));
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
    let out = '';
    const c = spawn(process.execPath, ['--require', LOADED_MODULES, '--require', 'tsx/cjs', 'packages/cli/src/main.ts', 'up'], {
      env: {
        ...clean,
        COCKPIT_HOME: home,
        PORT: '0',
        LOG_LEVEL: 'error',
        DATABASE_URL: db?.url ?? '',
        COCKPIT_PROCESSES: '2',
        LOADED_MODULES_DIR: loaded,
        ...env,
      },
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = c;
    const url = await new Promise<string>((resolve, reject) => {
      c.stdout!.on('data', (d) => {
        out += d;
        const m = /Cockpit is up in [\d.]+ s: (http:\/\/\S+\/graphql)/.exec(out);
        if (m && /try it:/.test(out)) resolve(m[1]);
      });
      c.stderr!.on('data', (d) => (out += d));
      c.once('exit', (code) => reject(new Error(`cockpit up exited with ${code}:\n${out}`)));
    });
    const key = readFileSync(join(home, 'admin-key'), 'utf8').trim();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: 'query UpTraced { accounts { totalCount } }' }),
    });
    expect(((await res.json()) as { data: unknown }).data).toEqual({ accounts: { totalCount: expect.any(Number) } });
    const subPid = Number(/database and subgraphs in process (\d+)/.exec(out)?.[1]);
    const exited = new Promise<number | null>((r) => c.once('exit', (code) => r(code)));
    c.kill('SIGTERM');
    expect(await exited).toBe(0);
    child = undefined;
    const modules = (pid: number) => JSON.parse(readFileSync(join(loaded, `${pid}.json`), 'utf8')) as string[];
    return { gateway: modules(c.pid!), subgraphs: modules(subPid) };
  }

  it('on: both processes export, and the drain on SIGTERM flushes what is left', async () => {
    const loaded = await upQueryStop({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.base });
    // nothing forced a flush: what arrived was sent by the batch processor or the SIGTERM drain
    const root = receiver.spans.find((x) => x.service === 'gateway' && x.attributes['graphql.operation.name'] === 'UpTraced');
    expect(root).toBeDefined();
    const trace = receiver.spans.filter((x) => x.traceId === root!.traceId);
    expect(trace.some((x) => x.service === 'identity' && x.kind === SERVER)).toBe(true);
    expect(loaded.gateway.some((f) => TRACE_SDK.test(f))).toBe(true);
    expect(loaded.subgraphs.some((f) => TRACE_SDK.test(f))).toBe(true);
  }, 300_000);

  it('off (OTEL_SDK_DISABLED=true beside an endpoint): no span is sent and no process loads the SDK', async () => {
    const before = receiver.requests;
    const loaded = await upQueryStop({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.base, OTEL_SDK_DISABLED: 'true' });
    expect(receiver.requests).toBe(before);
    // the probe saw the gateway's own code: an empty list would prove nothing
    expect(loaded.gateway.some((f) => f.endsWith(join('gateway', 'src', 'index.ts')))).toBe(true);
    expect(loaded.gateway.filter((f) => TRACE_SDK.test(f))).toEqual([]);
    expect(loaded.subgraphs.filter((f) => TRACE_SDK.test(f))).toEqual([]);
  }, 300_000);
});
