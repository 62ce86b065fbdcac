/**
 * `npx tsx bench/up.ts` (never part of `npm test`): the dashboard query through
 * a real `cockpit up` with `COCKPIT_PROCESSES=1` (everything in one process) vs
 * `2` (the gateway in one, the database and subgraphs in another), runs
 * interleaved 1 2 2 1 so the shared machine's drift falls on both. Each run is a
 * fresh `cockpit up` (fresh COCKPIT_HOME; with DATABASE_URL, a fresh database),
 * one seeded account, `BENCH_UP_CONNECTIONS` (default 8) clients asking the
 * dashboard back to back for `BENCH_UP_SECONDS` (default 15) after a warm-up.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freshDatabase } from '@cockpit/kit';
import { checkDashboard, DASHBOARD, seedDashboardAccount } from './seed';

const ROOT = join(__dirname, '..');
const CONNECTIONS = Number(process.env.BENCH_UP_CONNECTIONS ?? 8);
const SECONDS = Number(process.env.BENCH_UP_SECONDS ?? 15);
const MASTER_KEY = 'bench-up-master-key';
const ORDER = [1, 2, 2, 1];

async function run(processes: number) {
  const db = process.env.DATABASE_URL ? await freshDatabase() : undefined;
  const env = {
    ...process.env,
    COCKPIT_HOME: mkdtempSync(join(tmpdir(), 'cockpit-bench-up-')),
    COCKPIT_PROCESSES: String(processes),
    COCKPIT_MASTER_KEY: MASTER_KEY,
    COCKPIT_RATE_LIMIT_STORE: 'off',
    DATABASE_URL: db?.url ?? '',
    PORT: '0',
    LOG_LEVEL: 'error',
  };
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(ROOT, 'packages/cli/src/main.ts'), 'up'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /Cockpit is up in [\d.]+ s: (http:\/\/\S+\/graphql)/.exec(out);
        if (m && out.includes('try it:')) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`cockpit up exited with ${code}:\n${out}`)));
    });
    const post = async (query: string, variables: Record<string, unknown> = {}, accountId?: string) => {
      const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${MASTER_KEY}` };
      if (accountId) headers['x-account-id'] = accountId;
      const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      const body = (await res.json()) as { data?: any; errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const account = await seedDashboardAccount(post);
    const problem = checkDashboard(await post(DASHBOARD, {}, account));
    if (problem) throw new Error(`dashboard answer ${problem}`);
    const load = async (ms: number, times?: number[]) => {
      const end = performance.now() + ms;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (performance.now() < end) {
            const t = performance.now();
            await post(DASHBOARD, {}, account);
            times?.push(performance.now() - t);
          }
        }),
      );
    };
    await load(3000);
    const times: number[] = [];
    const t0 = performance.now();
    await load(SECONDS * 1000, times);
    const elapsed = (performance.now() - t0) / 1000;
    times.sort((a, b) => a - b);
    return { rps: times.length / elapsed, p50: times[Math.floor(times.length / 2)], p99: times[Math.floor(times.length * 0.99)] };
  } finally {
    child.kill('SIGTERM');
    await exited;
    await db?.close();
  }
}

async function main() {
  const results: Record<number, { rps: number; p50: number; p99: number }[]> = { 1: [], 2: [] };
  for (const n of ORDER) {
    const r = await run(n);
    results[n].push(r);
    console.log(`COCKPIT_PROCESSES=${n}: ${r.rps.toFixed(1)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`\ndashboard through cockpit up, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}, ${CONNECTIONS} connections`);
  console.log('| COCKPIT_PROCESSES | req/s (mean of 2) | p50 ms | p99 ms |');
  console.log('| ---: | ---: | ---: | ---: |');
  for (const n of [1, 2])
    console.log(
      `| ${n} | ${mean(results[n].map((r) => r.rps)).toFixed(1)} | ${mean(results[n].map((r) => r.p50)).toFixed(1)} | ${mean(results[n].map((r) => r.p99)).toFixed(1)} |`,
    );
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
