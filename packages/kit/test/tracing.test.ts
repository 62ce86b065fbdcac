import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Migration } from '@mikro-orm/migrations';
import {
  answerGenerationSql,
  ConfigError,
  createOrm,
  createTracing,
  EnvReader,
  freshDatabase,
  inPlatformTx,
  migrate,
  NO_TRACING,
  outboxTableSql,
  outboxTraceparentSql,
  principal,
  recordEvent,
  schemaGrantSql,
  SpanKind,
  startOutboxRelay,
  testLogger,
  tracingConfigFromEnv,
  type OutboxEvent,
  type TracingConfig,
} from '../src';
import { startOtlpReceiver, type OtlpReceiver } from '../../../test/support/otlp-receiver';

const ROOT = join(__dirname, '..', '..', '..');
const TRACE_SDK = /[\\/]node_modules[\\/]@opentelemetry[\\/](sdk-trace-base|sdk-trace|exporter-trace-otlp-http|context-async-hooks)[\\/]/;

const fromEnv = (env: Record<string, string>): TracingConfig | undefined => {
  const r = new EnvReader(env);
  const config = tracingConfigFromEnv(r);
  r.done();
  return config;
};

describe('tracingConfigFromEnv (the standard OTEL_* variables)', () => {
  it('is off by default', () => {
    expect(fromEnv({})).toBeUndefined();
  });

  it('is on when OTEL_TRACES_EXPORTER=otlp (the specification’s default endpoint) or an OTLP endpoint is set', () => {
    expect(fromEnv({ OTEL_TRACES_EXPORTER: 'otlp' })).toEqual({ url: 'http://localhost:4318/v1/traces' });
    expect(fromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({ url: 'http://collector:4318/v1/traces' });
    // the signal's own endpoint is used as it is, and wins
    expect(
      fromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:9999/otlp' }),
    ).toEqual({ url: 'http://traces:9999/otlp' });
  });

  it('reads the export timeout, the traces’ own first', () => {
    expect(fromEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TIMEOUT: '3000' })?.timeoutMs).toBe(3000);
    expect(
      fromEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TIMEOUT: '3000', OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '500' })?.timeoutMs,
    ).toBe(500);
    expect(() => fromEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TIMEOUT: 'soon' })).toThrow(
      /OTEL_EXPORTER_OTLP_TIMEOUT must be an integer/,
    );
  });

  it('reads the exporter headers, URL-decoded, the traces’ own first', () => {
    expect(fromEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_HEADERS: 'api-key=a%20b,x-tenant=t1' })?.headers).toEqual({
      'api-key': 'a b',
      'x-tenant': 't1',
    });
    expect(
      fromEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_HEADERS: 'a=1', OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'b=2' })?.headers,
    ).toEqual({ b: '2' });
  });

  it('is off when OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none, whatever else is set', () => {
    expect(fromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(fromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
    expect(fromEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'false' })).toBeDefined();
  });

  it('names what it cannot do: another exporter or protocol, a malformed endpoint or header list', () => {
    expect(() => fromEnv({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(/OTEL_TRACES_EXPORTER must be otlp or none \(got "zipkin"\)/);
    expect(() => fromEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(/http\/json/);
    expect(() => fromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT must be a URL/);
    expect(() => fromEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_HEADERS: 'novalue' })).toThrow(ConfigError);
    expect(fromEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toBeDefined();
  });
});

/** What a fresh node (not jest's module registry) loads for `script`, which runs after `createTracing` is in scope. */
async function loadedBy(script: string): Promise<string[]> {
  const code = `const { createTracing } = require('./packages/kit/src/tracing.ts');
    (async () => { ${script} })().then(() => process.stdout.write(JSON.stringify(Object.keys(require.cache))));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--require', 'tsx/cjs', '-e', code], { cwd: ROOT, maxBuffer: 64 << 20 });
  return JSON.parse(stdout) as string[];
}

describe('a tracer', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => (receiver = await startOtlpReceiver()));
  afterAll(() => receiver.close());

  it('off, loads no SDK module and runs what it wraps as it is', async () => {
    const files = await loadedBy(`const t = createTracing('identity', undefined);
      if (t.enabled || (await t.span('x', {}, async () => 42)) !== 42 || t.traceparent() !== undefined) throw new Error('not off');`);
    expect(files.some((f) => f.endsWith(join('kit', 'src', 'tracing.ts')))).toBe(true);
    expect(files.filter((f) => TRACE_SDK.test(f))).toEqual([]);
  });

  it('on, loads the SDK (the probe sees it)', async () => {
    const files = await loadedBy(`const t = createTracing('identity', { url: ${JSON.stringify(receiver.url)} });
      await t.span('x', {}, async () => {}); await t.shutdown();`);
    expect(files.some((f) => TRACE_SDK.test(f))).toBe(true);
  });

  it('NO_TRACING passes values and errors through', async () => {
    await expect(NO_TRACING.span('x', {}, async () => 'v')).resolves.toBe('v');
    await expect(NO_TRACING.span('x', {}, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const headers: Record<string, string> = {};
    NO_TRACING.inject(headers);
    expect(headers).toEqual({});
  });

  it('on, extracts a traceparent, injects its own, nests active spans and exports them with its service name', async () => {
    const tracing = createTracing('budgets', { url: receiver.url });
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const parent = 'b7ad6b7169203331';
    const seen: { inner?: string; headers?: Record<string, string> } = {};
    await tracing.span('outer', { kind: SpanKind.SERVER, parent: `00-${traceId}-${parent}-01` }, async () => {
      await tracing.span('inner', { attributes: { step: 1 } }, async () => {
        seen.inner = tracing.traceparent();
        seen.headers = {};
        tracing.inject(seen.headers);
      });
    });
    // a fresh trace: `parent: null` ignores whatever is active
    await tracing.span('apart', { parent: null }, async () => {});
    // a malformed traceparent starts a new trace rather than failing
    await tracing.span('bad parent', { parent: '00-zz-yy-01' }, async () => {});
    await expect(tracing.span('fails', {}, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await tracing.forceFlush();

    const outer = receiver.spans.find((s) => s.name === 'outer')!;
    const inner = receiver.spans.find((s) => s.name === 'inner')!;
    expect(outer).toMatchObject({ service: 'budgets', traceId, parentSpanId: parent, kind: 2 });
    expect(inner).toMatchObject({ traceId, parentSpanId: outer.spanId, attributes: { step: 1 } });
    // what the inner span sends on names the trace and itself as the parent
    expect(seen.inner).toBe(`00-${traceId}-${inner.spanId}-01`);
    expect(seen.headers).toEqual({ traceparent: seen.inner });
    const apart = receiver.spans.find((s) => s.name === 'apart')!;
    expect(apart.traceId).not.toBe(traceId);
    expect(apart.parentSpanId).toBe('');
    const bad = receiver.spans.find((s) => s.name === 'bad parent')!;
    expect(bad.parentSpanId).toBe('');
    expect(bad.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(receiver.spans.some((s) => s.name === 'fails')).toBe(true);
    await tracing.shutdown();
  });

  it('stops within its bound when the collector hangs, and never fails the drain', async () => {
    const hanging = createServer(() => {}); // accepts, never answers
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    try {
      const warnings: string[] = [];
      const log = { warn: (_o: unknown, msg: string) => warnings.push(msg) } as unknown as import('../src/log').Logger;
      // the export gives up just after the bound (so nothing of it outlives the test by much)
      const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/v1/traces`;
      const tracing = createTracing('catalog', { url, timeoutMs: 2500 }, log);
      await tracing.span('x', {}, async () => {});
      const t0 = Date.now();
      await expect(tracing.shutdown()).resolves.toBeUndefined();
      expect(Date.now() - t0).toBeLessThan(4000);
      expect(warnings).toContain('tracing: the last spans were not exported in time');
    } finally {
      hanging.closeAllConnections();
      hanging.close();
    }
  });
});

class OutboxSchema extends Migration {
  override async up() {
    const sql = [...schemaGrantSql('otel'), ...answerGenerationSql('otel'), ...outboxTableSql('otel'), ...outboxTraceparentSql('otel')];
    for (const s of sql) this.addSql(s);
  }
}

describe('the outbox relay, traced', () => {
  let receiver: OtlpReceiver;
  let db: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    db = await freshDatabase();
  });
  afterAll(async () => {
    await db.close();
    await receiver.close();
  });

  it("delivers each run of one writer's rows in that writer's trace, in order, and what it sends carries the trace on", async () => {
    const orm = await createOrm({ url: db.url, schema: 'otel', entities: [], migrations: [{ name: 'OutboxSchema', class: OutboxSchema }] });
    const tracing = createTracing('budgets', { url: receiver.url });
    try {
      await migrate(orm, 'otel');
      const account = '0195d0a0-0000-7000-8000-000000000001';
      const a = '00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-00000000000000a1-01';
      const b = '00-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-00000000000000b1-01';
      // one transaction, so the relay finds all five at once: two of trace a, one of b, one written untraced, a again
      const written = await inPlatformTx(orm, async (em) => {
        const out: OutboxEvent[] = [];
        for (const [i, tp] of [a, a, b, undefined, a].entries())
          out.push(await recordEvent(em, 'otel', principal(), { accountId: account, type: `e.${i}` }, tp));
        return out;
      });
      const deliveries: { types: string[]; traceparent?: string }[] = [];
      let delivered!: () => void;
      const all = new Promise<void>((r) => (delivered = r));
      const relay = startOutboxRelay({
        orm,
        schema: 'otel',
        log: testLogger(),
        tracing,
        intervalMs: 60_000,
        deliver: async (events) => {
          deliveries.push({ types: events.map((e) => e.type), traceparent: tracing.traceparent() });
          if (deliveries.flatMap((d) => d.types).length === written.length) delivered();
        },
      });
      await all;
      await relay.stop();
      await tracing.forceFlush();

      expect(deliveries.map((d) => d.types)).toEqual([['e.0', 'e.1'], ['e.2'], ['e.3'], ['e.4']]);
      const publishes = receiver.spans.filter((x) => x.name === 'outbox publish');
      expect(publishes).toHaveLength(4);
      // each delivery ran in its publish span, a child of the row's writer (a new trace for the untraced row)
      const spanOf = (d: { traceparent?: string }) => publishes.find((x) => d.traceparent === `00-${x.traceId}-${x.spanId}-01`)!;
      expect(deliveries.map((d) => [spanOf(d).traceId, spanOf(d).parentSpanId])).toEqual([
        ['a'.repeat(32), '00000000000000a1'],
        ['b'.repeat(32), '00000000000000b1'],
        [expect.stringMatching(/^[0-9a-f]{32}$/), ''],
        ['a'.repeat(32), '00000000000000a1'],
      ]);
      expect(spanOf(deliveries[0])).toMatchObject({ service: 'budgets', kind: 4, attributes: { 'messaging.batch.message_count': 2 } });
      // delivered rows are gone
      expect(await orm.em.getConnection().execute(`select count(*)::int as n from "otel"."outbox"`)).toEqual([{ n: 0 }]);
    } finally {
      await tracing.shutdown();
      await orm.close();
    }
  });
});
