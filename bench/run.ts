/**
 * `npm run bench:overhead` (`npm run bench -- --only=overhead`; never part of
 * `npm test`): the whole stack in one process on the embedded database (or
 * DATABASE_URL), measuring
 *   1. a cross-subgraph query through the gateway vs the sum of the direct
 *      subgraph calls it needs (the federation overhead), and
 *   2. SQL statements caused by the directory query for 10 vs 100 child rows
 *      (DataLoader batching: the count must not grow with the rows), and
 *   3. SQL statements and transactions of the dashboard query (bench/edge.ts's).
 */
import { performance } from 'node:perf_hooks';
import { callSubgraph, type Principal } from '@cockpit/kit';
import { gatewayPoster } from './gql';
import { DASHBOARD } from './seed';
import { MASTER_KEY, sqlCounter, startBenchStack } from './stack';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const WARMUP = 20;

async function main() {
  const sql = sqlCounter();
  const stack = await startBenchStack({ onQuery: sql.onQuery });
  const post = gatewayPoster(stack.url);
  const gql = (query: string, variables: Record<string, unknown> = {}, accountId?: string) => post(MASTER_KEY, query, variables, accountId);
  try {
    process.stderr.write('seeding …\n');
    const accountWith = async (name: string, teams: number) => {
      const id = (
        await gql(`mutation($n: String!) { createAccount(input: { name: $n, emailDomain: "bench.example", planTier: TEAM }) { id } }`, {
          n: name,
        })
      ).createAccount.id;
      const org = (await gql(`mutation { createOrg(input: { name: "Org", domain: COPILOT }) { id } }`, {}, id)).createOrg.id;
      for (let i = 0; i < teams; i++) {
        const team = (
          await gql(`mutation($o: ID!, $n: String!) { createTeam(input: { orgId: $o, name: $n }) { id } }`, { o: org, n: `team-${i}` }, id)
        ).createTeam.id;
        const user = (
          await gql(
            `mutation($e: String!) { createUser(input: { email: $e, displayName: "U", domain: COPILOT }) { id } }`,
            { e: `u${i}@bench.example` },
            id,
          )
        ).createUser.id;
        await gql(`mutation($t: ID!, $u: ID!) { addTeamMember(input: { teamId: $t, userId: $u }) { id } }`, { t: team, u: user }, id);
      }
      return id;
    };
    const small = await accountWith('Small', 10);
    const large = await accountWith('Large', 100);

    // 2. SQL statements for the directory query
    const DIRECTORY = `{ account { orgs { nodes { name teams(first: 100) { totalCount nodes { name members { totalCount nodes { email } } } } } } } }`;
    const countFor = (id: string, query = DIRECTORY) => sql.fewest(() => gql(query, {}, id));
    const sql10 = (await countFor(small)).statements;
    const sql100 = (await countFor(large)).statements;

    // 1. federation overhead
    await gql(`mutation { setBudgetPlan(input: { monthlyCredits: "1000" }) { accountId } }`, {}, small);
    await gql(`mutation { createGuardrailPreset(input: { name: "p", severity: LOW, config: {} }) { id } }`, {}, small);
    // 3. SQL statements and transactions (round trips: one a statement) for the dashboard query of bench/edge.ts
    const dashboard = await countFor(small, DASHBOARD);

    const CROSS = `{ account { id name budgetPlan { monthlyCredits } eligibleModels { name } } guardrailPresets { nodes { name } } }`;
    const who: Principal = {
      subject: 'bench',
      kind: 'SERVICE',
      accountId: small,
      roles: ['SUPER_ADMIN'],
      teamIds: [],
      orgIds: [],
      scopes: [],
      superAdmin: true,
      requestId: 'bench',
    };
    const u = stack.subgraphUrls;
    const directCalls = async () => {
      await callSubgraph(u.identity, 'identity', stack.keys.gateway.privateKey, who, `{ account { id name } }`);
      const rep = { r: [{ __typename: 'Account', id: small }] };
      const ents = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Account { `;
      await callSubgraph(u.budgets, 'budgets', stack.keys.gateway.privateKey, who, `${ents} budgetPlan { monthlyCredits } } } }`, rep);
      await callSubgraph(u.catalog, 'catalog', stack.keys.gateway.privateKey, who, `${ents} eligibleModels { name } } } }`, rep);
      await callSubgraph(u.guardrails, 'guardrails', stack.keys.gateway.privateKey, who, `{ guardrailPresets { nodes { name } } }`);
    };
    const time = async (fn: () => Promise<unknown>) => {
      for (let i = 0; i < WARMUP; i++) await fn();
      const samples: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        const t = performance.now();
        await fn();
        samples.push(performance.now() - t);
      }
      samples.sort((a, b) => a - b);
      return { p50: samples[Math.floor(samples.length / 2)], p99: samples[Math.floor(samples.length * 0.99)] };
    };
    const viaGateway = await time(() => gql(CROSS, {}, small));
    const direct = await time(directCalls);

    const f = (n: number) => n.toFixed(2);
    console.log(`\nCockpit benchmarks (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}, ${ITERATIONS} iterations)`);
    console.log(`cross-subgraph query via gateway: p50 ${f(viaGateway.p50)} ms, p99 ${f(viaGateway.p99)} ms`);
    console.log(`sum of the 4 direct subgraph calls: p50 ${f(direct.p50)} ms, p99 ${f(direct.p99)} ms`);
    console.log(`gateway / direct ratio (p50): ${f(viaGateway.p50 / direct.p50)}`);
    console.log(`directory query SQL statements: ${sql10} for 10 teams, ${sql100} for 100 teams (ratio ${f(sql100 / sql10)})`);
    console.log(`dashboard query: ${dashboard.statements} SQL statements in ${dashboard.transactions} transactions (all subgraphs)`);
  } finally {
    await stack.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
