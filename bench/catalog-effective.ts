/**
 * `npm run bench:catalog-effective` (never part of `npm test`): SQL statements and
 * identity calls for the effective models (CA3) of N users in one query, at
 * N = 10 and 100 (`BENCH_EFFECTIVE_USERS=10,100`). One stack on PGlite or
 * DATABASE_URL, statements counted through the ORM's query log like
 * bench/statements.ts (every statement, transaction control included; not the
 * outbox relays'), the fewest of 5 runs after a warm-up; answer cache off.
 *
 * Per account: 3 eligible models, an account grant, 10 teams in one org (each
 * with a team grant), N users spread over the teams, every tenth with a grant of
 * their own, and an alias. The query walks the org's teams and their members
 * (`first: 100`), asking each member's `effectiveModels` (with each model's
 * provider and aliases) and `modelGrant`. The figure that matters: the counts do not
 * grow with N (catalog batches the users in one identity call and one statement
 * per table).
 */
import { gatewayPoster } from './gql';
import { MASTER_KEY, sqlCounter, startBenchStack } from './stack';

const USERS = process.env.BENCH_EFFECTIVE_USERS?.split(',').map(Number) ?? [10, 100];
const TEAMS = 10;
const WRITERS = 8;

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
  let catalogStatements = 0;
  let scopeCalls = 0;
  const dump: string[] = [];
  const stack = await startBenchStack({
    answerCacheMb: 0,
    ...(process.env.LOG_LEVEL ? { logLevel: process.env.LOG_LEVEL } : {}),
    onQuery: (line) => {
      sql.onQuery(line);
      if (process.env.BENCH_DUMP && /\[query\]/.test(line) && !/"outbox"/.test(line)) dump.push(line.slice(0, 160));
      if (/\[query\]/.test(line) && line.includes('"catalog".') && !/"outbox"/.test(line)) catalogStatements++;
      // identity's directory-scopes route (catalog → identity): its user lookup names identity.team_member
      if (/\[query\]/.test(line) && /json_agg\(tm\.team_id/.test(line)) scopeCalls++;
    },
  });
  const post = gatewayPoster(stack.url);
  const gql = (query: string, variables: Record<string, unknown> = {}, accountId?: string) => post(MASTER_KEY, query, variables, accountId);
  try {
    const models: string[] = [];
    const provider = (await gql(`mutation { createProvider(input: { name: "openai", kind: OPENAI }) { id } }`)).createProvider.id;
    for (const name of ['gpt-4o', 'gpt-4o-mini', 'o3'])
      models.push(
        (
          await gql(
            `mutation($p: ID!, $n: String!) { createModel(input: { providerId: $p, name: $n, displayName: $n, kind: CHAT, inputPricePerMtok: "1", outputPricePerMtok: "2" }) { id } }`,
            { p: provider, n: name },
          )
        ).createModel.id,
      );
    const rows: string[] = [];
    for (const n of USERS) {
      const id = (
        await gql(`mutation($n: String!) { createAccount(input: { name: $n, emailDomain: "bench.example" }) { id } }`, { n: `Users ${n}` })
      ).createAccount.id as string;
      await gql(`mutation($m: [ID!]!) { setEligibleModels(modelIds: $m) { id } }`, { m: models }, id);
      const grant = (type: string, scope: string | null, m: string[]) =>
        gql(
          `mutation($s: GrantScopeInput!, $m: [ID!]!) { setModelGrant(scope: $s, modelIds: $m) { scopeId } }`,
          { s: { type, id: scope }, m },
          id,
        );
      await grant('ACCOUNT', null, models.slice(0, 2));
      await gql(`mutation($m: ID!) { setModelAlias(alias: "fast", modelId: $m) { alias } }`, { m: models[1] }, id);
      const org = (await gql(`mutation { createOrg(input: { name: "eng", domain: COPILOT }) { id } }`, {}, id)).createOrg.id;
      const teams: string[] = [];
      for (let t = 0; t < TEAMS; t++) {
        const team = (
          await gql(`mutation($o: ID!, $n: String!) { createTeam(input: { orgId: $o, name: $n }) { id } }`, { o: org, n: `t${t}` }, id)
        ).createTeam.id;
        teams.push(team);
        await grant('TEAM', team, [models[t % 3]]);
      }
      await pool(
        Array.from({ length: n }, (_, i) => i),
        WRITERS,
        async (i) => {
          const user = (
            await gql(
              `mutation($e: String!) { createUser(input: { email: $e, displayName: "U", domain: COPILOT }) { id } }`,
              { e: `u${i}@n${n}.example` },
              id,
            )
          ).createUser.id;
          await gql(
            `mutation($t: ID!, $u: ID!) { addTeamMember(input: { teamId: $t, userId: $u }) { id } }`,
            { t: teams[i % TEAMS], u: user },
            id,
          );
          if (i % 10 === 0) await grant('USER', user, models);
        },
      );
      // the seeding's audit events are delivered after the commits (and observed by the gateway): measure once they all arrived
      let last = -1;
      for (;;) {
        const total = (await gql(`{ auditLog(first: 1) { totalCount } }`, {}, id)).auditLog.totalCount as number;
        if (total === last) break;
        last = total;
        await new Promise((r) => setTimeout(r, 1000));
      }
      const QUERY = `query($o: ID!) { org(id: $o) { teams(first: 100) { nodes { members(first: 100) { nodes { id modelGrant { scopeType } effectiveModels { decidedBy models { model { name provider { name } } aliases } } } } } } } }`;
      const check = await gql(QUERY, { o: org }, id);
      const seen = check.org.teams.nodes.flatMap((t: any) => t.members.nodes);
      if (seen.length !== n || seen.some((u: any) => !u.effectiveModels?.models.length))
        throw new Error(`expected ${n} users with effective models`);
      let catalogFewest = Infinity;
      let callsFewest = Infinity;
      const counted = await sql.fewest(async () => {
        catalogStatements = 0;
        scopeCalls = 0;
        dump.length = 0;
        await gql(QUERY, { o: org }, id);
        catalogFewest = Math.min(catalogFewest, catalogStatements);
        callsFewest = Math.min(callsFewest, scopeCalls);
      });
      if (process.env.BENCH_DUMP) process.stderr.write(dump.join('\n') + '\n');
      const row = `| ${n} | ${counted.statements} | ${counted.transactions} | ${catalogFewest} | ${callsFewest} |`;
      process.stderr.write(`catalog-effective: ${row}\n`);
      rows.push(row);
    }
    console.log(
      `Effective models of N users in one query (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}; answer cache off; fewest of 5 runs)\n` +
        '| users N | statements (all subgraphs) | transactions | statements naming catalog tables | identity directory-scope lookups |\n' +
        '| ---: | ---: | ---: | ---: | ---: |\n' +
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
