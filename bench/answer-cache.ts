/**
 * `npm run bench:answer-cache` (never part of `npm test`): the subgraphs' exact answer
 * cache on (COCKPIT_ANSWER_CACHE_MB default, 32) against off (0), on the dashboard query,
 * and the write cost of the answer-generation triggers. Two stacks in this process on two
 * fresh databases (PGlite, or DATABASE_URL's server), seeded alike; rounds interleaved, the
 * order alternating. Per dashboard request: SQL statements (every statement the subgraphs'
 * ORMs send) and this process's CPU (gateway and subgraphs together: the stack runs in
 * it). Writes: createOrg at CONCURRENCY writers, on the stack with the triggers and on the
 * other after dropping identity's triggers (so "off" is also "no triggers").
 */
import { performance } from 'node:perf_hooks';
import { gatewayPoster } from './gql';
import { checkDashboard, DASHBOARD, seedDashboardAccount } from './seed';
import { MASTER_KEY, startBenchStack } from './stack';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 100);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const WRITES = Number(process.env.BENCH_WRITES ?? 200);

async function main() {
  const stacks = [];
  for (const [label, answerCacheMb] of [
    ['cache on', 32],
    ['cache off', 0],
  ] as const) {
    const counter = { statements: 0 };
    const stack = await startBenchStack({ answerCacheMb, onQuery: () => counter.statements++ });
    const post = gatewayPoster(stack.url);
    const account = await seedDashboardAccount((q, v, a) => post(MASTER_KEY, q, v, a));
    const problem = checkDashboard(await post(MASTER_KEY, DASHBOARD, {}, account));
    if (problem) throw new Error(`${label}: ${problem}`);
    stacks.push({ label, stack, post, account, counter, cpu: 0, statements: 0, requests: 0 });
  }
  for (let round = 0; round < ROUNDS + 1; round++) {
    for (const s of round % 2 ? [...stacks].reverse() : stacks) {
      const cpu0 = process.cpuUsage();
      const st0 = s.counter.statements;
      let left = PER_ROUND;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (left-- > 0) await s.post(MASTER_KEY, DASHBOARD, {}, s.account);
        }),
      );
      const cpu = process.cpuUsage(cpu0);
      if (round === 0) continue; // warm-up
      s.cpu += (cpu.user + cpu.system) / 1000;
      s.statements += s.counter.statements - st0;
      s.requests += PER_ROUND;
    }
  }
  for (const s of stacks)
    console.log(
      `${s.label}: ${(s.cpu / s.requests).toFixed(2)} ms CPU/request (whole process), ${(s.statements / s.requests).toFixed(2)} SQL statements/request`,
    );

  // write cost: createOrg at CONCURRENCY writers; the second stack's identity tables lose their triggers
  const off = stacks[1];
  await off.stack.subgraphs.identity.orm.em.getConnection().execute(`do $$ declare t record; begin
      for t in select tgname, tgrelid::regclass as rel from pg_trigger where tgname like 'answer_gen_%'
        and tgrelid::regclass::text like 'identity.%' loop
        execute format('drop trigger %I on %s', t.tgname, t.rel);
      end loop; end $$`);
  const rates: Record<string, number[]> = { triggers: [], 'no triggers': [] };
  for (let round = 0; round < 4; round++) {
    for (const [name, s] of round % 2
      ? ([
          ['no triggers', off],
          ['triggers', stacks[0]],
        ] as const)
      : ([
          ['triggers', stacks[0]],
          ['no triggers', off],
        ] as const)) {
      let left = WRITES;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (left-- > 0)
            await s.post(
              MASTER_KEY,
              `mutation($n: String!) { createOrg(input: { name: $n, domain: COPILOT }) { id } }`,
              { n: `o-${round}-${left}-${Math.random().toString(36).slice(2, 8)}` },
              s.account,
            );
        }),
      );
      rates[name].push(WRITES / ((performance.now() - t0) / 1000));
    }
  }
  for (const [name, r] of Object.entries(rates))
    console.log(`createOrg, ${CONCURRENCY} writers, ${name}: ${r.map((x) => x.toFixed(0)).join(' / ')} per s`);
  for (const s of stacks) await s.stack.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
