/**
 * `npm run bench:live` (a section of `npm run bench`; never part of `npm test`):
 * live events through the gateway to N graphql-ws subscribers of one account, N = 100 and 1,000
 * (`--full` adds 5,000; `BENCH_LIVE_SUBSCRIBERS=100,2000` picks others). The
 * subgraphs run in this process, the gateway alone in a child process
 * (`bench/live-gateway.ts`, so its RSS is its own), the subscribers in
 * another (`bench/live-subscribers.ts`; `BENCH_LIVE_CLIENT=graphql-ws` uses graphql-ws's
 * client there instead of the raw `ws` one, see that file).
 *
 * Per N: a fresh gateway, N sockets (one subscription each, master key acting
 * on the account), warm-up events until every subscriber has had one (then all
 * are live), then `BENCH_LIVE_EVENTS` events (default 20) committed one at a
 * time every `BENCH_LIVE_INTERVAL_MS` (default 250) straight into
 * observability's chain. Latency is from the commit (when the ingest returns,
 * its bus message published) to the subscriber's `next`; delivered % counts
 * (event, subscriber) pairs received once; the gateway's RSS is sampled
 * throughout (peak). `DATABASE_URL` runs it on PostgreSQL.
 *
 * Diagnostics: `BENCH_LIVE_DEBUG=1` prints the gateway's memory (idle,
 * connected, after a full GC); `BENCH_LIVE_CPU_PROFILE=<dir>` writes its CPU
 * profile there; `BENCH_LIVE_HEAP_SNAPSHOT=<dir>` writes its heap snapshots when
 * idle and once every subscriber is live; `BENCH_LIVE_EVENT_PROFILE=<dir>` writes a CPU profile of the
 * gateway over the measured events only (`gateway-<N>-events.cpuprofile`, 200 µs sampling). The children run as `npm start`
 * runs the gateway: node with tsx's in-thread CommonJS hook;
 * `BENCH_LIVE_LOADER=esm` runs them under tsx's ESM loader instead (its own
 * thread, ~15–25 MB more RSS), as `npm start` did before.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SUPERGRAPH_PATH } from '@cockpit/cli';
import { startBenchStack } from './stack';
import { uuidv7 } from '@cockpit/kit';
import { createInProcessLiveBus, ingestEvents, parseEvents } from '@cockpit/observability';
import type { LiveGatewaySetup } from './live-gateway';
import type { SubscribersRequest } from './live-subscribers';

const FULL = process.argv.includes('--full');
const SIZES = process.env.BENCH_LIVE_SUBSCRIBERS?.split(',').map(Number) ?? (FULL ? [100, 1000, 5000] : [100, 1000]);
const EVENTS = Number(process.env.BENCH_LIVE_EVENTS ?? 20);
const INTERVAL_MS = Number(process.env.BENCH_LIVE_INTERVAL_MS ?? 250);
/** How long deliveries may stall (no subscriber receives anything) before the rest count as lost. */
const STALL_MS = 15_000;
/** How long subscribers may take to go live (a baseline may never get them all there). */
const WARMUP_MS = 120_000;
const MASTER_KEY = 'bench-live-master-key';
const QUERY = `subscription { events { seq cursor type occurredAt account { name } } }`;

/** The subscribers' process reads the same clock. */
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

const children = new Set<ReturnType<typeof fork>>();
// a failed run must not leave a gateway or subscribers behind
process.on('exit', () => children.forEach((c) => c.kill()));

/** A child process running `file` under tsx, answering one IPC message per request. */
function child(file: string) {
  const execArgv = process.env.BENCH_LIVE_LOADER === 'esm' ? ['--import', 'tsx'] : ['--require', 'tsx/cjs'];
  if (file === 'live-gateway.ts') {
    const profile = process.env.BENCH_LIVE_CPU_PROFILE;
    if (profile) execArgv.push('--cpu-prof', `--cpu-prof-dir=${profile}`);
    if (process.env.BENCH_LIVE_DEBUG) execArgv.push('--expose-gc');
    // node flags for the gateway alone (e.g. heap sizing experiments)
    execArgv.push(...(process.env.BENCH_LIVE_GATEWAY_FLAGS?.split(' ').filter(Boolean) ?? []));
  }
  const proc = fork(join(__dirname, file), [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = <T>(msg: unknown) =>
    new Promise<T>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${file} exited with ${code}`));
      proc.once('exit', onExit);
      proc.once('message', (m: T) => {
        proc.off('exit', onExit);
        resolve(m);
      });
      proc.send(msg as never);
    });
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  const stop = async () => {
    const exited = new Promise((r) => proc.once('exit', r));
    proc.send({ stop: true });
    await exited;
  };
  return { ask, stop };
}

async function main() {
  const bus = createInProcessLiveBus();
  const stack = await startBenchStack({ masterKey: MASTER_KEY, logLevel: 'error', liveBus: bus });
  const keys = stack.keys.gateway;
  const gql = async (query: string) => {
    const res = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER_KEY}` },
      body: JSON.stringify({ query }),
    });
    const body = (await res.json()) as { data?: any; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const account: string = (
    await gql(`mutation { createAccount(input: { name: "Bench Live", emailDomain: "live.bench", planTier: ENTERPRISE }) { id } }`)
  ).createAccount.id;
  // the commit time of each event: its bus message is published right after the commit
  const committedAt = new Map<number, number>();
  bus.subscribe(account, (msg) => committedAt.set(msg.seq, now()));
  const record = async (type: string) => {
    const [event] = parseEvents([
      {
        id: uuidv7(),
        accountId: account,
        type,
        domain: 'CONSOLE',
        source: 'bench',
        actor: { subject: 'bench', kind: 'SERVICE' },
        subject: null,
        payload: { n: 1 },
        occurredAt: new Date().toISOString(),
      },
    ]);
    await ingestEvents(stack.subgraphs.observability.orm, bus, [event]);
  };

  const rows: string[] = [];
  for (const n of SIZES) {
    const gw = child('live-gateway.ts');
    const { url } = await gw.ask<{ url: string }>({
      supergraph: SUPERGRAPH_PATH,
      subgraphUrls: stack.subgraphUrls,
      internalKeyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      identityPublicKeyPem: stack.keys.identity.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      masterKey: MASTER_KEY,
      maxConnectionsPerAccount: n + 10,
    } satisfies LiveGatewaySetup);
    const rss = async () => (await gw.ask<{ rss: number }>({ rss: true })).rss;
    const rssIdle = await rss();
    if (process.env.BENCH_LIVE_DEBUG) console.error('idle', JSON.stringify((await gw.ask<{ memory: unknown }>({ rss: true })).memory));
    const snapshots = process.env.BENCH_LIVE_HEAP_SNAPSHOT;
    if (snapshots) await gw.ask({ snapshot: join(snapshots, `gateway-${n}-idle.heapsnapshot`) });
    const subs = child('live-subscribers.ts');
    const status = (after?: number) =>
      subs.ask<{ live: number; total: number; errors: number; lastReceipt: number }>({ status: true, after } satisfies SubscribersRequest);
    await subs.ask({
      start: { wsUrl: url.replace(/^http/, 'ws'), n, account, masterKey: MASTER_KEY, query: QUERY },
    } satisfies SubscribersRequest);
    // warm-up: every subscriber is live once it has received an event
    const connectStart = performance.now();
    let warm = 0;
    let liveCount = 0;
    for (;;) {
      const st = await status();
      liveCount = st.live;
      if (st.live === n) break;
      // the rest count as not delivered
      if (performance.now() - connectStart > WARMUP_MS) break;
      await record('bench.warmup');
      warm++;
      await sleep(1000);
    }
    const upstream = bus.subscriberCount(account) - 1; // less this bench's own listener
    await subs.ask({ reset: true });
    const rssConnected = await rss();
    if (process.env.BENCH_LIVE_DEBUG) {
      console.error('connected', JSON.stringify((await gw.ask<{ memory: unknown }>({ rss: true })).memory));
      gw.ask({ gc: true }).catch(() => {});
      await sleep(500);
      console.error('after gc', JSON.stringify((await gw.ask<{ memory: unknown }>({ rss: true })).memory));
    }
    if (snapshots) await gw.ask({ snapshot: join(snapshots, `gateway-${n}-connected.heapsnapshot`) });

    let rssPeak = rssConnected;
    const eventProfile = process.env.BENCH_LIVE_EVENT_PROFILE;
    if (eventProfile) await gw.ask({ profile: 'start' });
    const before = await gw.ask<{ cpuMs: number; systemMs: number }>({ rss: true });
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        rssPeak = Math.max(rssPeak, await rss());
        await sleep(250);
      }
    })();
    const fromSeq = Math.max(...committedAt.keys());
    for (let i = 0; i < EVENTS; i++) {
      await record('bench.event');
      await sleep(INTERVAL_MS);
    }
    const measured = Array.from({ length: EVENTS }, (_, i) => fromSeq + 1 + i);
    const expected = EVENTS * n;
    for (;;) {
      const st = await status(fromSeq);
      if (st.total >= expected || now() - Math.max(st.lastReceipt, committedAt.get(measured[EVENTS - 1]) ?? 0) > STALL_MS) break;
      await sleep(100);
    }
    sampling = false;
    await sampler;
    // the gateway's CPU time over the events (and the RSS samples' own IPC), per event: robust under load where latency is not
    const after = await gw.ask<{ cpuMs: number; systemMs: number }>({ rss: true });
    const cpuPerEvent = (after.cpuMs - before.cpuMs) / EVENTS;
    // of it in the kernel: mostly the sockets' writes (on loopback a write also runs the receiving side's TCP)
    const systemPerEvent = (after.systemMs - before.systemMs) / EVENTS;
    if (eventProfile) await gw.ask({ profile: join(eventProfile, `gateway-${n}-events.cpuprofile`) });
    const report = await subs.ask<{ receipts: Record<number, number[]>; duplicates: number; errors: number; cpuMs: number }>({
      report: true,
    });
    const duplicates = report.duplicates;
    const latencies: number[] = [];
    for (const seq of measured) for (const t of report.receipts[seq] ?? []) latencies.push(t - committedAt.get(seq)!);
    latencies.sort((a, b) => a - b);
    const delivered = (100 * latencies.length) / expected;
    const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
    const row = `| ${n} | ${pct(latencies, 0.5).toFixed(0)} / ${pct(latencies, 0.99).toFixed(0)} ms | ${delivered.toFixed(1)} % | ${duplicates} | ${report.errors} | ${liveCount} / ${n} | ${upstream} | ${mb(rssIdle)} / ${mb(rssConnected)} / ${mb(rssPeak)} MB | ${cpuPerEvent.toFixed(1)} ms (${systemPerEvent.toFixed(1)} system) | ${(report.cpuMs / EVENTS).toFixed(1)} ms | ${warm} |`;
    process.stderr.write(`live: ${row}\n`); // progress; the table is printed at the end
    rows.push(row);
    await subs.stop();
    await gw.stop();
  }
  console.log(
    `\nlive fan-out, ${EVENTS} events every ${INTERVAL_MS} ms, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}, ${process.env.BENCH_LIVE_CLIENT === 'graphql-ws' ? "graphql-ws's client" : 'raw ws client'}\n` +
      '| subscribers | latency from commit p50 / p99 | delivered | duplicates | errors | live after warm-up | upstream feed subscriptions | gateway RSS idle / connected / peak | gateway CPU per event (of it system) | subscribers (client) CPU per event | warm-up events |\n' +
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n' +
      rows.join('\n'),
  );
  await stack.close();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
