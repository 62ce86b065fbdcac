/**
 * The subscribers of `bench/live.ts` in their own process, so that reading
 * thousands of sockets competes neither with the gateway nor with the
 * subgraphs. Driven over IPC; times are `performance.timeOrigin + now()`, the
 * same clock as the parent's.
 *
 * Two clients (`BENCH_LIVE_CLIENT`):
 * - `raw` (default): one `ws` socket per subscriber speaking graphql-transport-ws
 *   itself (init, subscribe, parse each `next`): the least a client can do, so
 *   the figure is the server's. On this 2-core machine the load generator shares
 *   the cores with the gateway, and graphql-ws's client costs more CPU per event
 *   than the gateway does (≈ 16 µs of JavaScript per message: 80 ms per event at
 *   5,000 subscribers, measured), which would make the client the slowest stage.
 * - `graphql-ws`: graphql-ws's own `createClient` per subscriber, as an
 *   application would use it.
 * The report carries this process's CPU since the last reset either way.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';

export type SubscribersRequest =
  | { start: { wsUrl: string; n: number; account: string; masterKey: string; query: string } }
  | { status: true; after?: number }
  | { reset: true }
  | { report: true }
  | { stop: true };

export const CLIENT = process.env.BENCH_LIVE_CLIENT === 'graphql-ws' ? 'graphql-ws' : 'raw';

const now = () => performance.timeOrigin + performance.now();
const received: Map<number, number>[] = [];
const disposers: (() => Promise<void> | void)[] = [];
let duplicates = 0;
let errors = 0;
let lastReceipt = 0;
/** This process's CPU since the last reset: what reading the sockets costs the client side. */
let cpuAtReset = process.cpuUsage();

function onEvent(got: Map<number, number>, seq: number | undefined) {
  if (seq === undefined) return void errors++;
  if (got.has(seq)) duplicates++;
  else got.set(seq, now());
  lastReceipt = now();
}

function graphqlWsSubscriber(start: Extract<SubscribersRequest, { start: unknown }>['start'], got: Map<number, number>) {
  const c = createClient({
    url: start.wsUrl,
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${start.masterKey}`, accountId: start.account },
  });
  c.subscribe<{ events: { seq: number } }>(
    { query: start.query },
    { next: (r) => onEvent(got, r.data?.events?.seq), error: () => void errors++, complete: () => {} },
  );
  disposers.push(() => c.dispose());
}

function rawSubscriber(start: Extract<SubscribersRequest, { start: unknown }>['start'], got: Map<number, number>) {
  const ws = new WebSocket(start.wsUrl, 'graphql-transport-ws', { perMessageDeflate: false });
  ws.on('open', () =>
    ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${start.masterKey}`, accountId: start.account } })),
  );
  ws.on('message', (data: Buffer) => {
    const m = JSON.parse(data.toString()) as { type: string; payload?: { data?: { events?: { seq: number } } } };
    if (m.type === 'next') onEvent(got, m.payload?.data?.events?.seq);
    else if (m.type === 'connection_ack') ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: start.query } }));
    else if (m.type === 'ping') ws.send('{"type":"pong"}');
    else if (m.type === 'error') errors++;
  });
  ws.on('error', () => void errors++);
  disposers.push(
    () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close(1000);
      }),
  );
}

process.on('message', async (m: SubscribersRequest) => {
  if ('start' in m) {
    for (let i = 0; i < m.start.n; i++) {
      const got = new Map<number, number>();
      received.push(got);
      (CLIENT === 'raw' ? rawSubscriber : graphqlWsSubscriber)(m.start, got);
      if (i % 200 === 199) await new Promise((r) => setTimeout(r, 10)); // let the handshakes through
    }
    return process.send!({ started: m.start.n });
  }
  if ('status' in m) {
    let live = 0;
    let total = 0;
    const after = m.after ?? 0;
    for (const g of received) {
      if (g.size) live++;
      for (const seq of g.keys()) if (seq > after) total++;
    }
    return process.send!({ live, total, errors, lastReceipt });
  }
  if ('reset' in m) {
    for (const g of received) g.clear();
    duplicates = 0;
    cpuAtReset = process.cpuUsage();
    return process.send!({ ok: true });
  }
  if ('report' in m) {
    const receipts: Record<number, number[]> = {};
    for (const g of received) for (const [seq, t] of g) (receipts[seq] ??= []).push(t);
    const cpu = process.cpuUsage(cpuAtReset);
    if (process.env.BENCH_LIVE_DEBUG)
      console.error(`subscribers: ${(cpu.user / 1000).toFixed(0)} ms user, ${(cpu.system / 1000).toFixed(0)} ms system since the reset`);
    return process.send!({ receipts, duplicates, errors, cpuMs: (cpu.user + cpu.system) / 1000 });
  }
  if ('stop' in m) {
    await Promise.all(disposers.map((d) => d()));
    process.exit(0);
  }
});
