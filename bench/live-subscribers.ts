/**
 * The subscribers of `bench/live.ts` in their own process, so that reading
 * thousands of sockets competes neither with the gateway nor with the
 * subgraphs. Driven over IPC; times are `performance.timeOrigin + now()`, the
 * same clock as the parent's.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';

export type SubscribersRequest =
  | { start: { wsUrl: string; n: number; account: string; masterKey: string; query: string } }
  | { status: true; after?: number }
  | { reset: true }
  | { report: true }
  | { stop: true };

const now = () => performance.timeOrigin + performance.now();
const received: Map<number, number>[] = [];
const clients: Client[] = [];
let duplicates = 0;
let errors = 0;
let lastReceipt = 0;

process.on('message', async (m: SubscribersRequest) => {
  if ('start' in m) {
    const { wsUrl, n, account, masterKey, query } = m.start;
    for (let i = 0; i < n; i++) {
      const got = new Map<number, number>();
      received.push(got);
      const c = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        lazy: true,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${masterKey}`, accountId: account },
      });
      clients.push(c);
      c.subscribe<{ events: { seq: number } }>(
        { query },
        {
          next: (r) => {
            const seq = r.data?.events?.seq;
            if (seq === undefined) return void errors++;
            if (got.has(seq)) duplicates++;
            else got.set(seq, now());
            lastReceipt = now();
          },
          error: () => void errors++,
          complete: () => {},
        },
      );
      if (i % 200 === 199) await new Promise((r) => setTimeout(r, 10)); // let the handshakes through
    }
    return process.send!({ started: n });
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
    return process.send!({ ok: true });
  }
  if ('report' in m) {
    const receipts: Record<number, number[]> = {};
    for (const g of received) for (const [seq, t] of g) (receipts[seq] ??= []).push(t);
    return process.send!({ receipts, duplicates, errors });
  }
  if ('stop' in m) {
    await Promise.all(clients.map((c) => c.dispose()));
    process.exit(0);
  }
});
