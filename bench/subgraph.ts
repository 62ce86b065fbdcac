/**
 * `npx tsx bench/subgraph.ts` (never part of `npm test`): ONE subgraph, identity,
 * on the embedded database (or a fresh database on DATABASE_URL's server),
 * answering its part of the dashboard query (bench/edge.ts: account, 20 orgs ×
 * 3 teams with their member counts) from signed calls, BENCH_SUBGRAPH_CONCURRENCY
 * at once. Prints requests/s, the process's CPU per request and the SQL
 * statements and transactions per request. For where the CPU goes:
 * `node --cpu-prof --cpu-prof-dir=<dir> --import tsx bench/subgraph.ts`.
 */
import { performance } from 'node:perf_hooks';
import { stripVTControlCharacters } from 'node:util';
import { principal, RELAY_LOG_LABEL, startTestSubgraph } from '@cockpit/kit';
import { createIdentitySubgraph } from '@cockpit/identity';

const REQUESTS = Number(process.env.BENCH_SUBGRAPH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_SUBGRAPH_CONCURRENCY ?? 8);
const QUERY = `{ account { name planTier orgs(first: 20) { nodes { name teams { totalCount nodes { name memberCount } } } } } }`;

async function main() {
  const id = await startTestSubgraph(createIdentitySubgraph);
  try {
    const root = principal({ superAdmin: true, roles: ['SUPER_ADMIN'], subject: 'root' });
    const created = await id.call(
      root,
      `mutation { createAccount(input: { name: "Dashboard", emailDomain: "bench.example", planTier: ENTERPRISE }) { id } }`,
    );
    const accountId: string = created.data.createAccount.id;
    // the dashboard's directory: the account's own "global" org and 19 more, 3 teams each, 2 members a team (owner SQL)
    await id.sql(
      `insert into identity.org (id, account_id, name, domain, created_at)
       select gen_random_uuid(), ?, 'org-' || g, 'COPILOT', now() from generate_series(1, 19) g`,
      [accountId],
    );
    await id.sql(
      `insert into identity.team (id, account_id, org_id, domain, name, created_at)
       select gen_random_uuid(), o.account_id, o.id, o.domain, 'team-' || g, now()
         from identity.org o, generate_series(1, 3) g where o.account_id = ? and o.name like 'org-%'`,
      [accountId],
    );
    await id.sql(
      `with t as (select id, account_id, domain, row_number() over (order by id) as n from identity.team where account_id = ?),
            u as (insert into identity.app_user (id, account_id, email, display_name, domain, status, created_at)
                  select gen_random_uuid(), t.account_id, 'u' || t.n || '-' || g || '@bench.example', 'U', t.domain, 'ACTIVE', now()
                    from t, generate_series(1, 2) g returning id, account_id, email)
       insert into identity.team_member (account_id, team_id, user_id, domain, created_at)
       select t.account_id, t.id, u.id, t.domain, now() from t join u on u.email like 'u' || t.n || '-%'`,
      [accountId],
    );
    const viewer = principal({ accountId, roles: ['VIEWER'], subject: 'viewer@bench' });
    const once = async () => {
      const r = await id.call(viewer, QUERY);
      if (r.errors || r.data.account.orgs.nodes.length !== 20) throw new Error(JSON.stringify(r.errors ?? r.data));
    };
    const sql = (await id.statements(once)).filter((q) => !q.includes(`(${RELAY_LOG_LABEL})`) && !q.includes('"outbox"'));
    const transactions = sql.filter((q) => /\] begin\b/.test(stripVTControlCharacters(q))).length;
    for (let i = 0; i < 100; i++) await once(); // warm-up

    const cpu = process.cpuUsage();
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < REQUESTS) await once();
      }),
    );
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const f = (n: number) => n.toFixed(2);
    console.log(
      `\nidentity subgraph alone (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}), ${REQUESTS} requests, ${CONCURRENCY} at once`,
    );
    console.log(
      `requests/s: ${f((REQUESTS / ms) * 1000)}; CPU per request: ${f((used.user + used.system) / 1000 / REQUESTS)} ms (this process, the signing client included)`,
    );
    console.log(`SQL per request: ${sql.length} statements in ${transactions} transactions`);
  } finally {
    await id.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
