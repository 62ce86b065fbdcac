/**
 * `npm run bench:edge` (never part of `npm test`): what the edge's operation
 * limits (tokens, depth, aliases, directives, cost, variables) and per-plan rate
 * limiting cost the dashboard query. One stack, seeded through its own gateway
 * with the master key; then two more gateways on the same subgraphs in this
 * process, identical but for `limits: false` and `rateLimit.store: 'off'` on
 * one. Rounds of the same requests at a fixed concurrency over keep-alive
 * connections alternate between them (A B B A …) so the shared machine's drift
 * hits both alike. The caller is an account ADMIN API key of an ENTERPRISE
 * account (the master key is exempt from rate limits, so it would measure
 * nothing); every answer must be a 200 without errors — a 429 fails the run.
 *
 * `BENCH_EDGE_SWITCH=dedup` (`npm run bench:dedup`) compares instead two
 * gateways, both limited, identical but for `dedup: false` on one: what sharing
 * identical in-flight subgraph fetches saves when the same principal's
 * dashboard loads CONCURRENCY times at once.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { startBenchStack } from './stack';
import { createGateway, type Gateway, type GatewayConfig } from '../gateway/src';
import { DEFAULT_RATE_LIMIT, PLAN_LIMITS } from '../gateway/src/rate-limit/config';
import { gatewayPoster } from './gql';
import { checkDashboard, DASHBOARD, seedDashboardAccount } from './seed';

const ROUNDS = Number(process.env.BENCH_EDGE_ROUNDS ?? 6); // per gateway, after one warm-up round each
const PER_ROUND = Number(process.env.BENCH_EDGE_REQUESTS ?? 100);
const CONCURRENCY = Number(process.env.BENCH_EDGE_CONCURRENCY ?? 8);
const MASTER_KEY = 'bench-master-key';
const SWITCH = process.env.BENCH_EDGE_SWITCH === 'dedup' ? 'dedup' : 'limits';

interface Round {
  ms: number;
  cpuUs: number;
  latencies: number[];
}

async function main() {
  // the limited gateway's account bucket is one window of 60 s from its first hit: stay inside one window's budget
  const limitedRequests = (ROUNDS + 1) * PER_ROUND + 2;
  if (limitedRequests > PLAN_LIMITS.ENTERPRISE.requestsPerMinute)
    throw new Error(`${limitedRequests} requests exceed ENTERPRISE's ${PLAN_LIMITS.ENTERPRISE.requestsPerMinute} per minute`);
  const stack = await startBenchStack({ masterKey: MASTER_KEY });
  const gateways: Gateway[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    process.stderr.write('seeding …\n');
    const post = gatewayPoster(stack.url);
    const gql = (query: string, variables: Record<string, unknown> = {}, accountId?: string) =>
      post(MASTER_KEY, query, variables, accountId);
    const account = await seedDashboardAccount(gql);
    const secret = (await gql(`mutation { createApiKey(input: { name: "dashboard", tier: ADMIN }) { secret } }`, {}, account)).createApiKey
      .secret as string;

    const base: GatewayConfig = { ...stack.gatewayConfig, masterKey: MASTER_KEY, logLevel: 'silent' };
    const on = await createGateway({ ...base, rateLimit: DEFAULT_RATE_LIMIT }, stack.log.child({ service: 'gateway-on' }));
    gateways.push(on);
    const off = await createGateway(
      SWITCH === 'dedup'
        ? { ...base, rateLimit: DEFAULT_RATE_LIMIT, dedup: false }
        : { ...base, rateLimit: { ...DEFAULT_RATE_LIMIT, store: 'off' }, limits: false },
      stack.log.child({ service: 'gateway-off' }),
    );
    gateways.push(off);
    const urls = { on: await on.listen(0), off: await off.listen(0) };

    let failures = 0;
    let firstFailure = '';
    const send = (url: string, body: string) =>
      new Promise<{ status: number; text: string; headers: Record<string, unknown> }>((resolve, reject) => {
        const req = request(
          url,
          {
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${secret}` },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const dashboard = JSON.stringify({ query: DASHBOARD });

    // each side is what it claims: the dashboard is complete on both; only "on" limits and rate-limits
    const check = async (url: string) => {
      const r = await send(url, dashboard);
      const data = JSON.parse(r.text).data;
      if (r.status !== 200 || !data?.account) throw new Error(`dashboard failed (${r.status}): ${r.text.slice(0, 500)}`);
      if (checkDashboard(data)) throw new Error(`dashboard incomplete: ${r.text.slice(0, 500)}`);
      const aliases = JSON.stringify({ query: `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: __typename`).join(' ')} }` });
      return { rateLimited: 'x-ratelimit-limit' in r.headers, aliasesRefused: (await send(url, aliases)).status !== 200 };
    };
    const sides = { on: await check(urls.on), off: await check(urls.off) };
    const intended =
      SWITCH === 'dedup'
        ? sides.on.rateLimited && sides.on.aliasesRefused && sides.off.rateLimited && sides.off.aliasesRefused && !off.fetchDedup
        : sides.on.rateLimited && sides.on.aliasesRefused && !sides.off.rateLimited && !sides.off.aliasesRefused;
    if (!intended || !on.fetchDedup) throw new Error(`the two gateways are not configured as intended: ${JSON.stringify(sides)}`);

    const round = async (url: string): Promise<Round> => {
      let next = 0;
      const latencies: number[] = [];
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next++ < PER_ROUND) {
            const t = performance.now();
            const r = await send(url, dashboard);
            latencies.push(performance.now() - t);
            if (r.status !== 200 || r.text.includes('"errors"')) {
              failures++;
              firstFailure ||= `${r.status} ${r.text.slice(0, 300)}`;
            }
          }
        }),
      );
      const ms = performance.now() - t0;
      const d = process.cpuUsage(cpu);
      return { ms, cpuUs: d.user + d.system, latencies };
    };

    process.stderr.write(`measuring ${ROUNDS} rounds × ${PER_ROUND} requests per gateway, concurrency ${CONCURRENCY} …\n`);
    await round(urls.on);
    await round(urls.off);
    const results: Record<'on' | 'off', Round[]> = { on: [], off: [] };
    for (let i = 0; i < ROUNDS; i++) {
      const order = i % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const);
      for (const side of order) {
        const r = await round(urls[side]);
        results[side].push(r);
        process.stderr.write(`  round ${i + 1} ${side}: ${((PER_ROUND / r.ms) * 1000).toFixed(1)} req/s\n`);
      }
    }
    if (failures) throw new Error(`${failures} requests failed (a 429 or an error); first: ${firstFailure}`);

    const summary = (rs: Round[]) => {
      const lat = rs.flatMap((r) => r.latencies).sort((a, b) => a - b);
      const n = lat.length;
      const ms = rs.reduce((s, r) => s + r.ms, 0);
      const cpu = rs.reduce((s, r) => s + r.cpuUs, 0);
      return { rps: (n / ms) * 1000, p50: lat[Math.floor(n / 2)], p99: lat[Math.min(n - 1, Math.floor(n * 0.99))], cpuPerReq: cpu / n };
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const a = summary(results.on);
    const b = summary(results.off);
    // per pair of rounds (each on-round with the off-round beside it): the spread says how noisy the machine was
    const pairRatios = results.on.map((r, i) => results.off[i].ms / r.ms);
    const pairCpuRatios = results.on.map((r, i) => results.off[i].cpuUs / r.cpuUs);

    const f = (n: number, d = 2) => n.toFixed(d);
    console.log(
      `\n${SWITCH === 'dedup' ? 'In-flight fetch deduplication' : 'Edge limits'} on vs off (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}; ${ROUNDS} interleaved rounds × ${PER_ROUND} requests per side, concurrency ${CONCURRENCY}, 0 failures)`,
    );
    const names = SWITCH === 'dedup' ? ['dedup on ', 'dedup off'] : ['limits + rate limit on ', 'limits + rate limit off'];
    for (const [name, s] of [
      [names[0], a],
      [names[1], b],
    ] as const)
      console.log(`${name}: ${f(s.rps, 1)} req/s, p50 ${f(s.p50)} ms, p99 ${f(s.p99)} ms, CPU ${f(s.cpuPerReq / 1000, 3)} ms/request`);
    console.log(
      `throughput on/off: ${f(a.rps / b.rps, 3)} (median of round pairs ${f(median(pairRatios), 3)}, range ${f(Math.min(...pairRatios), 3)}–${f(Math.max(...pairRatios), 3)})`,
    );
    if (SWITCH === 'dedup')
      console.log(
        `subgraph fetches shared on the "on" side: ${on.fetchDedup.shared} (${f(on.fetchDedup.shared / ((ROUNDS + 1) * PER_ROUND))} per request)`,
      );
    console.log(
      `CPU per request off/on: ${f(b.cpuPerReq / a.cpuPerReq, 3)} (median of round pairs ${f(median(pairCpuRatios), 3)}, range ${f(Math.min(...pairCpuRatios), 3)}–${f(Math.max(...pairCpuRatios), 3)})`,
    );
  } finally {
    agent.destroy();
    for (const g of gateways) await g.close();
    await stack.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
