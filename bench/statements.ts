/**
 * `npm run bench:statements` (a section of `npm run bench`; never part of
 * `npm test`): SQL statements and transactions per request for the dashboard
 * and the directory query at 10, 100 and 1,000 rows (`BENCH_STATEMENT_ROWS=10,100`
 * picks others). One stack, its statements counted through the ORM's query log
 * the way bench/run.ts does (every statement, transaction control included; not
 * the outbox relays' own); on PGlite or DATABASE_URL.
 *
 * "Rows" = N, per account: N orgs (its `global` and N − 1 more), N teams in one
 * of them with one member each, and the ≈ 4N audit events those writes record.
 * The dashboard pages over the orgs (`first: 20`), that org's teams (the default
 * page of 50) and the audit log (`first: 50`); the directory over the orgs (50)
 * and the teams (`first: 100`, the largest page) with their members. Pages are
 * capped, so the figure that matters is that the counts do not grow with N
 * (batched loaders; each read one round trip with its tenant settings).
 */
import { gatewayPoster } from './gql';
import { DASHBOARD } from './seed';
import { MASTER_KEY, sqlCounter, startBenchStack } from './stack';

const ROWS = process.env.BENCH_STATEMENT_ROWS?.split(',').map(Number) ?? [10, 100, 1000];
/** Seeding writers at once (the gateway answers each mutation after its commit). */
const WRITERS = 8;
const DIRECTORY = `{ account { orgs { nodes { name teams(first: 100) { totalCount nodes { name members { totalCount nodes { email } } } } } } } }`;

/** Runs `fn` over `items`, `width` at a time. */
async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

async function main() {
  const sql = sqlCounter();
  const stack = await startBenchStack({ onQuery: sql.onQuery });
  const post = gatewayPoster(stack.url);
  const gql = (query: string, variables: Record<string, unknown> = {}, accountId?: string) => post(MASTER_KEY, query, variables, accountId);
  try {
    const seed = async (n: number) => {
      const id = (
        await gql(
          `mutation($n: String!) { createAccount(input: { name: $n, emailDomain: "bench.example", planTier: ENTERPRISE }) { id } }`,
          {
            n: `Rows ${n}`,
          },
        )
      ).createAccount.id as string;
      await gql(`mutation { setBudgetPlan(input: { monthlyCredits: "1000" }) { accountId } }`, {}, id);
      await gql(`mutation { createGuardrailPreset(input: { name: "p", severity: LOW, config: {} }) { id } }`, {}, id);
      const org = (await gql(`mutation { createOrg(input: { name: "org-0", domain: COPILOT }) { id } }`, {}, id)).createOrg.id;
      const indexes = Array.from({ length: n }, (_, i) => i);
      // the account's `global` org and org-0 are two of the N
      await pool(indexes.slice(2), WRITERS, (i) =>
        gql(`mutation($n: String!) { createOrg(input: { name: $n, domain: COPILOT }) { id } }`, { n: `org-${i}` }, id),
      );
      await pool(indexes, WRITERS, async (i) => {
        const team = (
          await gql(`mutation($o: ID!, $n: String!) { createTeam(input: { orgId: $o, name: $n }) { id } }`, { o: org, n: `team-${i}` }, id)
        ).createTeam.id;
        const user = (
          await gql(
            `mutation($e: String!) { createUser(input: { email: $e, displayName: "U", domain: COPILOT }) { id } }`,
            { e: `u${i}@rows${n}.example` },
            id,
          )
        ).createUser.id;
        await gql(`mutation($t: ID!, $u: ID!) { addTeamMember(input: { teamId: $t, userId: $u }) { id } }`, { t: team, u: user }, id);
      });
      // the audit events are delivered after the commits: count once observability has them all (the total stops moving)
      let last = -1;
      for (;;) {
        const total = (await gql(`{ auditLog(first: 1) { totalCount } }`, {}, id)).auditLog.totalCount as number;
        if (total === last) break;
        last = total;
        await new Promise((r) => setTimeout(r, 1000));
      }
      const check = await gql(`{ account { orgs { totalCount } } }`, {}, id);
      if (check.account.orgs.totalCount !== n) throw new Error(`seeded ${check.account.orgs.totalCount} orgs, not ${n}`);
      return { id, auditEvents: last };
    };
    // the fewest of 5 runs: a relay's delivery may land inside one run's window
    const countFor = (id: string, query: string) => sql.fewest(() => gql(query, {}, id));

    const rows: string[] = [];
    for (const n of ROWS) {
      const t0 = Date.now();
      process.stderr.write(`statements: seeding ${n} orgs, ${n} teams, ${n} members …\n`);
      const { id, auditEvents } = await seed(n);
      const dashboard = await countFor(id, DASHBOARD);
      const directory = await countFor(id, DIRECTORY);
      const row = `| ${n} | ${auditEvents} | ${dashboard.statements} | ${dashboard.transactions} | ${directory.statements} | ${directory.transactions} |`;
      process.stderr.write(`statements: ${row} (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
      rows.push(row);
    }
    console.log(
      `SQL per request (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}; rows N = orgs, teams in one org and members; ` +
        `fewest of 5 runs; a transaction is a \`begin\`, every statement one round trip)\n` +
        '| rows N | audit events | dashboard statements | dashboard transactions | directory statements | directory transactions |\n' +
        '| ---: | ---: | ---: | ---: | ---: | ---: |\n' +
        rows.join('\n'),
    );
  } finally {
    await stack.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
