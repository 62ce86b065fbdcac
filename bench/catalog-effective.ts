/**
 * `npm run bench:catalog-effective` (never part of `npm test`): SQL statements and
 * identity calls for the effective sets of N users in one query, at N = 10 and 100
 * (`BENCH_EFFECTIVE_USERS=10,100`): the Copilot models (CA3), the console (BYOK)
 * models (CA4) and the features (CA9). One stack on PGlite or DATABASE_URL,
 * statements counted through the ORM's query log like bench/statements.ts (every
 * statement, transaction control included; not the outbox relays'), the fewest of 5
 * runs after a warm-up; answer cache off.
 *
 * Per account: 3 eligible models, an account grant, 10 teams in one COPILOT org (each
 * with a team grant), N users spread over the teams, every tenth with a grant of
 * their own, and an alias; the same shape in a CONSOLE org with the console policy
 * and console grants; a feature pack of 3 features with an account entitlement,
 * one per team and one for every tenth COPILOT user. Each query walks an org's teams
 * and their members (`first: 100`), asking each member's `effectiveModels` (with each
 * model's provider and aliases) and `modelGrant`, or `effectiveConsoleModels` and
 * `consoleModelGrant`, or `effectiveFeatures` with its chain. The figure that matters:
 * the counts do not grow with N (catalog batches the users in one identity call and
 * one statement per table).
 */
import { gatewayPoster } from './gql';
import { MASTER_KEY, sqlCounter, startBenchStack } from './stack';

const USERS = process.env.BENCH_EFFECTIVE_USERS?.split(',').map(Number) ?? [10, 100];
const TEAMS = 10;
const WRITERS = 8;
const TREES = ['COPILOT', 'CONSOLE'] as const;
type Tree = (typeof TREES)[number];

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
      // identity's directory-scopes route (catalog → identity): its user lookup aggregates each user's team_member rows
      if (/\[query\]/.test(line) && /json_agg\(json_build_object\('id', tm\.team_id/.test(line)) scopeCalls++;
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
    const features: string[] = [];
    for (const key of ['agents.marketplace', 'policy.simulate', 'live.dashboards'])
      features.push(
        (await gql(`mutation($k: String!) { createFeature(input: { key: $k, name: $k }) { key } }`, { k: key })).createFeature.key,
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
      const consoleGrant = (type: string, scope: string | null, m: string[]) =>
        gql(
          `mutation($s: GrantScopeInput!, $m: [ID!]!) { setConsoleModelGrant(scope: $s, modelIds: $m) { scopeId } }`,
          { s: { type, id: scope }, m },
          id,
        );
      const entitle = (type: string, scope: string | null, f: string, e: boolean) =>
        gql(
          `mutation($s: GrantScopeInput!, $f: String!, $e: Boolean!) { setFeatureEntitlement(scope: $s, featureKey: $f, enabled: $e) { scopeId } }`,
          { s: { type, id: scope }, f, e },
          id,
        );
      await gql(`mutation($m: [ID!]!) { setConsoleModelPolicy(modelIds: $m) { id } }`, { m: models }, id);
      await consoleGrant('ACCOUNT', null, models.slice(1));
      await gql(`mutation($k: [String!]!) { setFeaturePack(featureKeys: $k) { key } }`, { k: features }, id);
      await entitle('ACCOUNT', null, features[0], false);
      const orgs: Record<Tree, string> = { COPILOT: '', CONSOLE: '' };
      for (const tree of TREES) {
        const org = (
          await gql(
            `mutation($n: String!, $d: DirectoryDomain!) { createOrg(input: { name: $n, domain: $d }) { id } }`,
            { n: tree.toLowerCase(), d: tree },
            id,
          )
        ).createOrg.id;
        orgs[tree] = org;
        const teams: string[] = [];
        for (let t = 0; t < TEAMS; t++) {
          const team = (
            await gql(`mutation($o: ID!, $n: String!) { createTeam(input: { orgId: $o, name: $n }) { id } }`, { o: org, n: `t${t}` }, id)
          ).createTeam.id;
          teams.push(team);
          if (tree === 'COPILOT') {
            await grant('TEAM', team, [models[t % 3]]);
            await entitle('TEAM', team, features[t % 3], t % 2 === 0);
          } else await consoleGrant('TEAM', team, [models[t % 3]]);
        }
        await pool(
          Array.from({ length: n }, (_, i) => i),
          WRITERS,
          async (i) => {
            const user = (
              await gql(
                `mutation($e: String!, $d: DirectoryDomain!) { createUser(input: { email: $e, displayName: "U", domain: $d }) { id } }`,
                { e: `u${i}.${tree.toLowerCase()}@n${n}.example`, d: tree },
                id,
              )
            ).createUser.id;
            await gql(
              `mutation($t: ID!, $u: ID!) { addTeamMember(input: { teamId: $t, userId: $u }) { id } }`,
              { t: teams[i % TEAMS], u: user },
              id,
            );
            if (i % 10 === 0 && tree === 'COPILOT') {
              await grant('USER', user, models);
              await entitle('USER', user, features[1], true);
            }
            if (i % 10 === 0 && tree === 'CONSOLE') await consoleGrant('USER', user, models);
          },
        );
      }
      // the seeding's audit events are delivered after the commits (and observed by the gateway): measure once they all arrived
      let last = -1;
      for (;;) {
        const total = (await gql(`{ auditLog(first: 1) { totalCount } }`, {}, id)).auditLog.totalCount as number;
        if (total === last) break;
        last = total;
        await new Promise((r) => setTimeout(r, 1000));
      }
      const members = (fields: string) =>
        `query($o: ID!) { org(id: $o) { teams(first: 100) { nodes { members(first: 100) { nodes { id ${fields} } } } } } }`;
      const SETS: { set: string; org: string; query: string; field: string }[] = [
        {
          set: 'Copilot models',
          org: orgs.COPILOT,
          query: members(`modelGrant { scopeType } effectiveModels { decidedBy models { model { name provider { name } } aliases } }`),
          field: 'effectiveModels',
        },
        {
          set: 'console models',
          org: orgs.CONSOLE,
          query: members(`consoleModelGrant { scopeType } effectiveConsoleModels { decidedBy models { name provider { name } } }`),
          field: 'effectiveConsoleModels',
        },
        {
          set: 'features',
          org: orgs.COPILOT,
          query: members(
            `effectiveFeatures { enabledKeys features { feature { key name } enabled decidedBy chain { scopeType scopeId } } }`,
          ),
          field: 'effectiveFeatures',
        },
      ];
      for (const { set, org, query, field } of SETS) {
        const check = await gql(query, { o: org }, id);
        const seen = check.org.teams.nodes.flatMap((t: any) => t.members.nodes);
        const size = (u: any) => (field === 'effectiveFeatures' ? u[field]?.features.length : u[field]?.models.length);
        if (seen.length !== n || seen.some((u: any) => !size(u))) throw new Error(`expected ${n} users with ${set}`);
        let catalogFewest = Infinity;
        let callsFewest = Infinity;
        const counted = await sql.fewest(async () => {
          catalogStatements = 0;
          scopeCalls = 0;
          dump.length = 0;
          await gql(query, { o: org }, id);
          catalogFewest = Math.min(catalogFewest, catalogStatements);
          callsFewest = Math.min(callsFewest, scopeCalls);
        });
        if (process.env.BENCH_DUMP) process.stderr.write(dump.join('\n') + '\n');
        const row = `| ${set} | ${n} | ${counted.statements} | ${counted.transactions} | ${catalogFewest} | ${callsFewest} |`;
        process.stderr.write(`catalog-effective: ${row}\n`);
        rows.push(row);
      }
    }
    rows.sort((a, b) => (a < b ? -1 : 1));
    console.log(
      `Effective sets of N users in one query (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}; answer cache off; fewest of 5 runs)\n` +
        '| set | users N | statements (all subgraphs) | transactions | statements naming catalog tables | identity directory-scope lookups |\n' +
        '| --- | ---: | ---: | ---: | ---: | ---: |\n' +
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
