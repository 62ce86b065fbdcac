/**
 * `npm run bench:usage` (never part of `npm test`): usage writes per second (BU5/BU6) on one stack — PostgreSQL
 * when DATABASE_URL is set (a fresh database on that server), PGlite otherwise.
 *
 * Four shapes, through the gateway (master key acting on one account) and, for the single writes, also straight
 * to the budgets subgraph with a gateway-signed internal token (what the gateway hop costs):
 * - hot:    one user, BENCH_USAGE_WRITERS concurrent writers, the user's allocation allows exactly K writes
 *           (cost 1, credit factor 1); ATTEMPTS writes are sent, so most are denied at the user level;
 * - spread: BENCH_USAGE_USERS users (10 teams of one org), each write for a random one, nothing denied;
 * each as single `recordUsage` and as `recordUsageBatch` of BENCH_USAGE_BATCH records.
 * Prints records/s (accepted + denied: every record is a decided write), requests/s, p50/p99 per request.
 * At the end it asserts zero overspend from the database: every balance row's used ≤ its bound, and every
 * balance (user, team, org, account) equals the sum of the credits of the records attributed to it; the hot
 * users accepted exactly K each. Exit code 1 when any check fails.
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { principal, signInternalToken, INTERNAL_TOKEN_HEADER } from '@cockpit/kit';
import { gatewayPoster } from './gql';
import { MASTER_KEY, sqlCounter, startBenchStack } from './stack';

const WRITERS = Number(process.env.BENCH_USAGE_WRITERS ?? 16);
/**
 * Concurrent batch requests: a batch records its records one transaction after the other, so its latency is
 * BATCH × a record's; 16 at once on one hot user passes the gateway's 10 s subgraph timeout on a loaded machine.
 */
const BATCH_WRITERS = Number(process.env.BENCH_USAGE_BATCH_WRITERS ?? 4);
const USERS = Number(process.env.BENCH_USAGE_USERS ?? 1000);
const BATCH = Number(process.env.BENCH_USAGE_BATCH ?? 50);
/** Records sent per shape. */
const RECORDS = Number(process.env.BENCH_USAGE_RECORDS ?? 2000);
/** The writes a hot user's allocation allows. */
const K = Number(process.env.BENCH_USAGE_HOT_K ?? 500);

const RECORD = `mutation($i: RecordUsageInput!) { recordUsage(input: $i) { record { id } } }`;
const RECORD_BATCH = `mutation($is: [RecordUsageInput!]!) { recordUsageBatch(inputs: $is) { record { id } error { code } } }`;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

interface Outcome {
  accepted: number;
  denied: number;
  failed: number;
  firstFailure?: string;
}
type Send = (query: string, variables: Record<string, unknown>) => Promise<{ data?: any; errors?: { extensions?: { code?: string } }[] }>;

/** `requests` requests from WRITERS concurrent writers; `make(n)` builds request n; `judge` counts its records. */
async function run(
  label: string,
  requests: number,
  send: Send,
  make: (n: number) => [string, Record<string, unknown>],
  judge: (r: any, o: Outcome) => void,
  writers = WRITERS,
) {
  const latencies: number[] = [];
  const o: Outcome = { accepted: 0, denied: 0, failed: 0 };
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let n = next++; n < requests; n = next++) {
        const [q, v] = make(n);
        const s = performance.now();
        const r = await send(q, v);
        latencies.push(performance.now() - s);
        judge(r, o);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const records = o.accepted + o.denied + o.failed;
  const row = {
    shape: label,
    writers,
    records,
    accepted: o.accepted,
    denied: o.denied,
    failed: o.failed,
    'records/s': Math.round(records / seconds),
    'requests/s': Math.round(requests / seconds),
    'p50 ms': Math.round(pct(latencies, 0.5) * 10) / 10,
    'p99 ms': Math.round(pct(latencies, 0.99) * 10) / 10,
  };
  process.stderr.write(`${JSON.stringify(row)}${o.firstFailure ? ` first failure: ${o.firstFailure}` : ''}\n`);
  return row;
}

const single = (r: any, o: Outcome) => {
  if (!r.errors) return void o.accepted++;
  if (r.errors[0]?.extensions?.code === 'FORBIDDEN') return void o.denied++;
  o.failed++;
  o.firstFailure ??= JSON.stringify(r.errors[0]);
};
const batch = (r: any, o: Outcome) => {
  if (r.errors) {
    o.failed += BATCH;
    o.firstFailure ??= JSON.stringify(r.errors[0]);
    return;
  }
  for (const item of r.data.recordUsageBatch) {
    if (item.record) o.accepted++;
    else if (item.error.code === 'FORBIDDEN') o.denied++;
    else {
      o.failed++;
      o.firstFailure ??= JSON.stringify(item.error);
    }
  }
};

async function main() {
  const sql = sqlCounter();
  const stack = await startBenchStack({ onQuery: sql.onQuery });
  const post = gatewayPoster(stack.url);
  const gql = (query: string, variables: Record<string, unknown> = {}, accountId?: string) => post(MASTER_KEY, query, variables, accountId);
  const failures: string[] = [];
  try {
    const account: string = (
      await gql(`mutation { createAccount(input: { name: "Usage", emailDomain: "usage.bench", planTier: ENTERPRISE }) { id } }`)
    ).createAccount.id;
    const as = (q: string, v: Record<string, unknown> = {}) => gql(q, v, account);
    await as(`mutation { setBudgetPlan(input: { monthlyCredits: "1000000000", creditFactor: "1" }) { accountId } }`);
    const org: string = (await as(`mutation { createOrg(input: { name: "Bench", domain: COPILOT }) { id } }`)).createOrg.id;
    const teams: string[] = [];
    for (let t = 0; t < 10; t++)
      teams.push(
        (await as(`mutation($o: ID!, $n: String!) { createTeam(input: { orgId: $o, name: $n }) { id } }`, { o: org, n: `t${t}` }))
          .createTeam.id,
      );
    // the spread users: owner SQL (setup, not measured), 10 teams of USERS/10
    const idConn = stack.subgraphs.identity.orm.em.getConnection();
    const users = Array.from({ length: USERS }, () => randomUUID());
    const hot = [randomUUID(), randomUUID(), randomUUID()]; // gateway single, gateway batch, direct single
    const all = [...users, ...hot];
    await idConn.execute(
      `insert into identity.app_user (id, account_id, email, display_name, domain, status, created_at)
       select u, ?, 'u' || n || '@usage.bench', 'u' || n, 'COPILOT', 'ACTIVE', now() from unnest(?::uuid[]) with ordinality as x(u, n)`,
      [account, `{${all.join(',')}}`],
    );
    await idConn.execute(
      `insert into identity.team_member (account_id, team_id, user_id, domain, created_at)
       select ?, (?::uuid[])[1 + (n - 1) % 10], u, 'COPILOT', now() from unnest(?::uuid[]) with ordinality as x(u, n)`,
      [account, `{${teams.join(',')}}`, `{${all.join(',')}}`],
    );
    const allocate = (scopeType: string, scopeId: string, amount: string) =>
      as(`mutation($i: AllocateCreditsInput!) { allocateCredits(input: $i) { scopeId } }`, { i: { scopeType, scopeId, amount } });
    await allocate('ORG', org, '100000000');
    for (const t of teams) await allocate('TEAM', t, '1000000');
    for (const h of hot) await allocate('USER', h, String(K));

    const viaGateway: Send = async (query, variables) => {
      const res = await fetch(stack.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER_KEY}`, 'x-account-id': account },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as any;
    };
    // straight to budgets: the gateway's own signed token for the master key's principal on the account
    const p = principal({ subject: 'master-key', kind: 'SERVICE', superAdmin: true, roles: ['SUPER_ADMIN'], accountId: account });
    let token = await signInternalToken(stack.keys.gateway.privateKey!, 'budgets', p);
    const renew = setInterval(async () => (token = await signInternalToken(stack.keys.gateway.privateKey!, 'budgets', p)), 20_000);
    const direct: Send = async (query, variables) => {
      const res = await fetch(stack.subgraphUrls.budgets, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [INTERNAL_TOKEN_HEADER]: token },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as any;
    };

    // warm-up (plans, pools, caches): 50 spread writes, not counted
    await run(
      'warm-up',
      50,
      viaGateway,
      (n) => [RECORD, { i: { idempotencyKey: `w-${n}`, model: 'm', cost: '0.01', userId: users[n % USERS] } }],
      single,
    );

    const item = (tag: string, n: number, userId: string, cost: string) => ({
      idempotencyKey: `${tag}-${n}`,
      model: 'm',
      inputTokens: 10,
      cost,
      userId,
    });
    const rows = [];
    rows.push(await run('hot single (gateway)', RECORDS, viaGateway, (n) => [RECORD, { i: item('hs', n, hot[0], '1') }], single));
    rows.push(
      await run(
        'hot batch (gateway)',
        RECORDS / BATCH,
        viaGateway,
        (n) => [RECORD_BATCH, { is: Array.from({ length: BATCH }, (_, j) => item('hb', n * BATCH + j, hot[1], '1')) }],
        batch,
        BATCH_WRITERS,
      ),
    );
    rows.push(await run('hot single (budgets direct)', RECORDS, direct, (n) => [RECORD, { i: item('hd', n, hot[2], '1') }], single));
    const pick = (n: number) => users[(n * 7919) % USERS];
    rows.push(await run('spread single (gateway)', RECORDS, viaGateway, (n) => [RECORD, { i: item('ss', n, pick(n), '0.01') }], single));
    rows.push(
      await run(
        'spread batch (gateway)',
        RECORDS / BATCH,
        viaGateway,
        (n) => [RECORD_BATCH, { is: Array.from({ length: BATCH }, (_, j) => item('sb', n * BATCH + j, pick(n * BATCH + j), '0.01')) }],
        batch,
        BATCH_WRITERS,
      ),
    );
    rows.push(await run('spread single (budgets direct)', RECORDS, direct, (n) => [RECORD, { i: item('sd', n, pick(n), '0.01') }], single));
    clearInterval(renew);

    // statements and transactions per request, on the quiet stack (the fewest of 5 after a warm-up)
    let q = 0;
    const perRequest = {
      'spread single, accepted': await sql.fewest(() => viaGateway(RECORD, { i: item('qs', q++, pick(q), '0.01') })),
      'hot single, denied': await sql.fewest(() => viaGateway(RECORD, { i: item('qh', q++, hot[0], '1') })),
      [`spread batch of ${BATCH}, accepted`]: await sql.fewest(() =>
        viaGateway(RECORD_BATCH, { is: Array.from({ length: BATCH }, () => item('qb', q++, pick(q), '0.01')) }),
      ),
    };
    process.stderr.write(`${JSON.stringify(perRequest)}\n`);

    for (const r of rows) {
      if (r.failed) failures.push(`${r.shape}: ${r.failed} records failed (neither recorded nor denied)`);
      if (r.shape.startsWith('hot') && r.accepted !== K)
        failures.push(`${r.shape}: accepted ${r.accepted}, the allocation allows exactly ${K}`);
    }

    // zero overspend, from the database (owner connection: every row)
    const b = stack.subgraphs.budgets.orm.em.getConnection();
    const [over] = await b.execute(
      `select count(*)::int as n from budgets.budget_balance where account_id = ? and credit_limit is not null and used > credit_limit`,
      [account],
    );
    if (over.n) failures.push(`${over.n} balance rows are past their bound`);
    const mismatched = await b.execute(
      `select bal.scope_type, bal.scope_id, bal.used::text as used, coalesce(sum(u.credits), 0)::text as recorded
         from budgets.budget_balance bal
         left join budgets.usage_record u on u.account_id = bal.account_id and u.domain = 'COPILOT' and u.cycle_start = bal.cycle_start
              and (bal.scope_type = 'ACCOUNT' or (bal.scope_type = 'ORG' and u.org_id = bal.scope_id)
                   or (bal.scope_type = 'TEAM' and u.team_id = bal.scope_id) or (bal.scope_type = 'USER' and u.user_id = bal.scope_id))
        where bal.account_id = ?
        group by bal.scope_type, bal.scope_id, bal.used
       having bal.used <> coalesce(sum(u.credits), 0)`,
      [account],
    );
    if (mismatched.length)
      failures.push(`${mismatched.length} balances differ from the sum of their records: ${JSON.stringify(mismatched.slice(0, 3))}`);
    const [levels] = await b.execute(
      `select count(*)::int as n, count(*) filter (where credit_limit is not null)::int as bounded from budgets.budget_balance where account_id = ?`,
      [account],
    );
    const hotUsed = (await b.execute(
      `select used::text as used from budgets.budget_balance where account_id = ? and scope_type = 'USER' and scope_id = any(?::uuid[])`,
      [account, `{${hot.join(',')}}`],
    )) as { used: string }[];
    // each hot user spent exactly its allocation: K records of 1 credit, not one more
    if (hotUsed.length !== hot.length || hotUsed.some((h) => Number(h.used) !== K))
      failures.push(`hot users' used: ${hotUsed.map((h) => h.used).join(', ')}, expected ${K} each`);

    const load = (await import('node:os')).loadavg().map((l) => l.toFixed(2));
    console.log(
      JSON.stringify(
        {
          database: process.env.DATABASE_URL ? 'postgresql' : 'pglite',
          writers: WRITERS,
          users: USERS,
          batch: BATCH,
          hotK: K,
          rows,
          perRequest,
          check: {
            balances: levels.n,
            bounded: levels.bounded,
            overBound: over.n,
            mismatched: mismatched.length,
            hotUsersUsed: hotUsed.map((h) => h.used),
          },
          loadavg: load,
          ok: failures.length === 0,
          failures,
        },
        null,
        2,
      ),
    );
  } finally {
    await stack.close();
  }
  if (failures.length) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
