/**
 * `npm run bench:mutations` (a section of `npm run bench`; never part of
 * `npm test`): audited writes per second and how long their audit events take
 * to become visible. One stack (PGlite, or DATABASE_URL); WRITERS clients send
 * `createOrg` through the gateway back to back for DURATION seconds (master key
 * acting on one account); one graphql-ws subscription to the account's
 * `org.created` events through the same gateway watches them arrive.
 *
 * Audit lag = the event's arrival on the live feed − the mutation's answer
 * arriving (the answer is sent after the commit, so this slightly understates
 * commit → visible; the event's `subjectId` is the org's id). Lost = mutations
 * answered OK − their events seen (after the feed has been quiet for STALL_MS);
 * the audit log's `totalCount` of `org.created` is checked against it too.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { gatewayPoster } from './gql';
import { MASTER_KEY, startBenchStack } from './stack';

const FULL = process.argv.includes('--full');
const DURATION_S = Number(process.env.BENCH_MUTATION_SECONDS ?? (FULL ? 60 : 15));
const WRITERS = Number(process.env.BENCH_MUTATION_WRITERS ?? 8);
/** How long the feed may stay quiet, with events missing, before they count as lost. */
const STALL_MS = 15_000;
const FEED = `subscription { events(types: ["org.created"]) { seq subjectId } }`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

async function main() {
  const stack = await startBenchStack();
  const post = gatewayPoster(stack.url);
  const gql = (query: string, variables: Record<string, unknown> = {}, accountId?: string) => post(MASTER_KEY, query, variables, accountId);
  let account = '';
  // connects on the first subscription, once the account exists
  const ws = createClient({
    url: stack.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: async () => ({ authorization: `Bearer ${MASTER_KEY}`, accountId: account }),
  });
  try {
    account = (await gql(`mutation { createAccount(input: { name: "Writes", emailDomain: "writes.bench", planTier: ENTERPRISE }) { id } }`))
      .createAccount.id;
    const seenAt = new Map<string, number>();
    let feedErrors = 0;
    let lastArrival = 0;
    ws.subscribe<{ events: { seq: number; subjectId: string } }>(
      { query: FEED },
      {
        next: (r) => {
          const id = r.data?.events?.subjectId;
          if (!id || r.errors) return void feedErrors++;
          lastArrival = performance.now();
          if (!seenAt.has(id)) seenAt.set(id, lastArrival);
        },
        error: () => void feedErrors++,
        complete: () => {},
      },
    );
    const createOrg = async (name: string) =>
      (await gql(`mutation($n: String!) { createOrg(input: { name: $n, domain: COPILOT }) { id } }`, { n: name }, account)).createOrg
        .id as string;
    // warm-up: the feed is live once a write's event has arrived on it
    for (let i = 0; !seenAt.size; i++) {
      if (i === 60) throw new Error('the audit feed delivered nothing in 60 s');
      await createOrg(`warm-${i}`);
      await sleep(1000);
    }
    const warmed = seenAt.size;

    process.stderr.write(`mutations: ${WRITERS} writers × createOrg for ${DURATION_S} s …\n`);
    const answeredAt = new Map<string, number>();
    let failures = 0;
    let firstFailure = '';
    let n = 0;
    const t0 = performance.now();
    const end = t0 + DURATION_S * 1000;
    const progress = setInterval(
      () =>
        process.stderr.write(
          `  ${((performance.now() - t0) / 1000).toFixed(0)} s: ${answeredAt.size} answered, ${seenAt.size - warmed} events\n`,
        ),
      5000,
    );
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        while (performance.now() < end) {
          try {
            const id = await createOrg(`org-${n++}`);
            answeredAt.set(id, performance.now());
          } catch (err) {
            failures++;
            firstFailure ||= String(err).slice(0, 300);
          }
        }
      }),
    );
    const elapsed = performance.now() - t0;
    clearInterval(progress);
    // wait for the rest of the events, or for the feed to stall
    const seen = () => [...answeredAt.keys()].filter((id) => seenAt.has(id)).length;
    while (seen() < answeredAt.size && performance.now() - Math.max(lastArrival, t0 + elapsed) < STALL_MS) await sleep(100);

    const lags = [...answeredAt].filter(([id]) => seenAt.has(id)).map(([id, t]) => seenAt.get(id)! - t);
    lags.sort((a, b) => a - b);
    const logged = (await gql(`{ auditLog(filter: { types: ["org.created"] }, first: 1) { totalCount } }`, {}, account)).auditLog
      .totalCount as number;
    const ok = answeredAt.size;
    const lost = ok - lags.length;
    const f = (x: number) => x.toFixed(0);
    console.log(
      `Audited writes (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}; createOrg through the gateway, ${WRITERS} writers for ${DURATION_S} s; ` +
        `lag = event on the graphql-ws feed − the mutation's answer)\n` +
        '| mutations OK | failed | mutations/s | audit lag p50 / p99 / max | events on the feed | lost | in the audit log (of OK + warm-up) | feed errors |\n' +
        '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n' +
        `| ${ok} | ${failures} | ${((ok / elapsed) * 1000).toFixed(1)} | ${f(pct(lags, 0.5))} / ${f(pct(lags, 0.99))} / ${f(lags.at(-1) ?? NaN)} ms | ${lags.length} | ${lost} | ${logged} of ${ok + warmed} | ${feedErrors} |`,
    );
    if (failures) process.stderr.write(`mutations: first failure: ${firstFailure}\n`);
  } finally {
    await ws.dispose();
    await stack.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
