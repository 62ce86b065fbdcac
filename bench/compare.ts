/**
 * `npm run bench:compare` (also a section of `npm run bench`; never part of
 * `npm test`): what Cockpit's gateway costs against its peers on the same work.
 * One stack (database and the five subgraphs) in this process, seeded through
 * its gateway; then, each in a child process of its own so its CPU is its own,
 * on those SAME subgraphs and the same supergraph:
 *   - cockpit / cockpit-nodedup: `createGateway` (master key acting on the account), with its
 *     defaults and with its in-flight fetch deduplication off (`dedup: false`);
 *   - apollo: raw `@apollo/gateway` + `@apollo/server`, a RemoteGraphQLDataSource adding the
 *     internal token (from the kit's `InternalTokenCache`: signed once per subgraph, reused);
 *   - hive / hive-nodedup: `@graphql-hive/gateway-runtime` with its defaults, and with its
 *     deduplication of in-flight subgraph requests off, an `onFetch` hook adding the same token;
 *   - direct: the floor — a bare node:http server that makes the subgraph calls the query
 *     plan needs (recorded once from Apollo's plan, replayed wave by wave with undici) and
 *     answers their bodies unmerged.
 * The dashboard query (≈ 8 KB answer) is sent to one endpoint at a time over
 * CONCURRENCY keep-alive connections, rounds interleaved (the order rotates each
 * round); CPU per request is the child's `process.cpuUsage()` delta over a round.
 * Short by default; `--full` for a long run.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { Agent, request } from 'undici';
import { INTERNAL_TOKEN_HEADER, InternalTokenCache, type Principal } from '@cockpit/kit';
import { createGateway, DEFAULT_CLAIMS } from '../gateway/src';
import { gatewayPoster } from './gql';
import { checkDashboard, DASHBOARD, seedDashboardAccount } from './seed';

const FULL = process.argv.includes('--full');
const ROUNDS = Number(process.env.BENCH_COMPARE_ROUNDS ?? (FULL ? 8 : 3)); // per endpoint, after one warm-up round each
const PER_ROUND = Number(process.env.BENCH_COMPARE_REQUESTS ?? (FULL ? 300 : 60));
const CONCURRENCY = Number(process.env.BENCH_COMPARE_CONCURRENCY ?? 8);
const MASTER_KEY = 'bench-master-key';
/**
 * `BENCH_COMPARE_BASELINE=<another checkout>` (with its `npm install`) adds its gateway as
 * `cockpit-base` to the same run: a before/after comparison on one machine state.
 */
const BASELINE = process.env.BENCH_COMPARE_BASELINE;
const ALL_KINDS = [
  'cockpit',
  'cockpit-nodedup',
  ...(BASELINE ? (['cockpit-base'] as const) : []),
  'apollo',
  'hive',
  'hive-nodedup',
  'direct',
] as const;
type Kind = (typeof ALL_KINDS)[number];
/** `BENCH_COMPARE_ONLY=cockpit,apollo` measures a subset (apollo, the reference, is always in it). */
const KINDS = process.env.BENCH_COMPARE_ONLY
  ? ALL_KINDS.filter((k) => k === 'apollo' || process.env.BENCH_COMPARE_ONLY!.split(',').includes(k))
  : ALL_KINDS;
/** `BENCH_COMPARE_PROFILE=<dir>`: each gateway process writes a CPU profile there (`--cpu-prof`) when the run ends. */
const PROFILE_DIR = process.env.BENCH_COMPARE_PROFILE;

/** What a child needs to serve: the subgraphs, the supergraph, the keys, the account. */
interface ChildConfig {
  /** The file (Cockpit reads it and takes the addresses from `subgraphUrls`) and its text with those addresses. */
  supergraphPath: string;
  supergraphSdl: string;
  subgraphUrls: Record<string, string>;
  internalKeyPem: string;
  identityPublicKeyPem: string;
  accountId: string;
}

const principalFor = (accountId: string): Principal => ({
  subject: 'master-key',
  kind: 'SERVICE',
  accountId,
  roles: ['SUPER_ADMIN'],
  teamIds: [],
  orgIds: [],
  scopes: [],
  superAdmin: true,
  requestId: 'bench',
});

// ---------------------------------------------------------------------------
// children

async function child(kind: Kind, c: ChildConfig): Promise<string> {
  const key = createPrivateKey(c.internalKeyPem);
  const principal = principalFor(c.accountId);
  const tokens = new InternalTokenCache(key);
  const nameOf = new Map(Object.entries(c.subgraphUrls).map(([n, u]) => [u, n]));
  if (kind === 'cockpit' || kind === 'cockpit-nodedup' || kind === 'cockpit-base') {
    const { createLogger } = await import('@cockpit/kit');
    const create: typeof createGateway =
      kind !== 'cockpit-base' ? createGateway : (await import(pathToFileURL(join(BASELINE!, 'gateway/src/index.ts')).href)).createGateway;
    const gw = await create(
      {
        supergraph: c.supergraphPath,
        subgraphUrls: c.subgraphUrls as never,
        internalKey: key,
        identityPublicKey: createPublicKey(c.identityPublicKeyPem),
        masterKey: MASTER_KEY,
        issuers: [],
        claims: DEFAULT_CLAIMS,
        apiKeyCacheSeconds: 30,
        allowedOrigins: [],
        production: false,
        logLevel: 'silent',
        ...(kind === 'cockpit-nodedup' ? { dedup: false as const } : {}),
      },
      createLogger('gateway', 'silent'),
    );
    return gw.listen(0);
  }
  if (kind === 'apollo') {
    const { ApolloGateway, RemoteGraphQLDataSource } = await import('@apollo/gateway');
    const { ApolloServer } = await import('@apollo/server');
    const { startStandaloneServer } = await import('@apollo/server/standalone');
    const gateway = new ApolloGateway({
      supergraphSdl: c.supergraphSdl,
      buildService: ({ name, url }) =>
        new RemoteGraphQLDataSource({
          url,
          async willSendRequest({ request }) {
            request.http!.headers.set(INTERNAL_TOKEN_HEADER, await tokens.token(name, principal));
            request.http!.headers.set('x-request-id', 'bench');
          },
        }),
    });
    const server = new ApolloServer({ gateway });
    const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
    return url;
  }
  if (kind === 'hive' || kind === 'hive-nodedup') {
    const { createGatewayRuntime } = await import('@graphql-hive/gateway-runtime');
    const runtime = createGatewayRuntime({
      supergraph: c.supergraphSdl,
      logging: false,
      ...(kind === 'hive-nodedup' ? { transportEntries: { '*': { options: { deduplicateInflightRequests: false } } } } : {}),
      plugins: () => [
        {
          async onFetch({ url, options, setOptions }) {
            const name = nameOf.get(url);
            if (!name) return;
            setOptions({
              ...options,
              headers: {
                ...(options.headers as Record<string, string>),
                [INTERNAL_TOKEN_HEADER]: await tokens.token(name, principal),
                'x-request-id': 'bench',
              },
            });
          },
        },
      ],
    });
    const server = createServer(runtime);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  }
  return directFloor(c, tokens, principal);
}

/**
 * The floor: the subgraph requests Apollo's plan makes for the dashboard, recorded once, then
 * replayed per request in the same waves (a fetch waits for those that ended before it began).
 */
async function directFloor(c: ChildConfig, tokens: InternalTokenCache, principal: Principal): Promise<string> {
  const { ApolloGateway, RemoteGraphQLDataSource } = await import('@apollo/gateway');
  const { ApolloServer } = await import('@apollo/server');
  const recorded: { name: string; url: string; body: string; start: number; end: number }[] = [];
  const gateway = new ApolloGateway({
    supergraphSdl: c.supergraphSdl,
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource({
        url,
        async willSendRequest({ request }) {
          request.http!.headers.set(INTERNAL_TOKEN_HEADER, await tokens.token(name, principal));
        },
        fetcher: (async (u: string, init: RequestInit) => {
          const entry = { name, url: u, body: String(init.body), start: performance.now(), end: Infinity };
          recorded.push(entry);
          const res = await fetch(u, init);
          entry.end = performance.now();
          return res;
        }) as never,
      }),
  });
  const server = new ApolloServer({ gateway });
  await server.start();
  const res = await server.executeOperation({ query: DASHBOARD });
  if (res.body.kind !== 'single' || res.body.singleResult.errors) throw new Error(`recording the plan failed: ${JSON.stringify(res.body)}`);
  await server.stop();
  const wave = new Map<(typeof recorded)[number], number>();
  for (const r of [...recorded].sort((a, b) => a.start - b.start))
    wave.set(r, 1 + Math.max(-1, ...recorded.filter((o) => o.end <= r.start).map((o) => wave.get(o) ?? 0)));
  const waves: (typeof recorded)[] = [];
  for (const [r, w] of wave) (waves[w] ??= []).push(r);

  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const call = async (r: (typeof recorded)[number]) => {
    const { body } = await request(r.url, {
      method: 'POST',
      dispatcher: agent,
      headers: {
        'content-type': 'application/json',
        [INTERNAL_TOKEN_HEADER]: await tokens.token(r.name, principal),
        'x-request-id': 'bench',
      },
      body: r.body,
    });
    return body.json();
  };
  const http = createServer(async (req, res) => {
    for await (const _ of req); // drain the client's body
    const out: unknown[] = [];
    for (const w of waves) out.push(...(await Promise.all(w.map(call))));
    const text = JSON.stringify(out);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  process.stderr.write(
    `direct floor: ${recorded.length} subgraph calls in ${waves.length} waves (${recorded.map((r) => r.name).join(', ')})\n`,
  );
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`;
}

// ---------------------------------------------------------------------------
// the harness

interface Round {
  ms: number;
  cpuUs: number;
  /** This process (the subgraphs, the load client, PGlite when embedded) over the round. */
  harnessUs: number;
  latencies: number[];
}

class Child {
  private pending: ((m: any) => void)[] = [];
  constructor(
    readonly kind: Kind,
    readonly proc: ChildProcess,
  ) {
    proc.on('message', (m) => this.pending.shift()?.(m));
  }
  static async start(kind: Kind, config: ChildConfig): Promise<{ child: Child; url: string }> {
    const proc = fork(__filename, ['child', kind], {
      execArgv: [
        ...(process.execArgv.length ? process.execArgv : ['--import', 'tsx']),
        ...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}/${kind}`] : []),
      ],
      env: { ...process.env, BENCH_COMPARE_CONFIG: JSON.stringify(config) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const c = new Child(kind, proc);
    const url = await new Promise<string>((resolve, reject) => {
      c.pending.push((m) => resolve(m.url));
      proc.once('exit', (code) => reject(new Error(`${kind} exited with ${code} before listening`)));
    });
    return { child: c, url };
  }
  cpu(): Promise<number> {
    return new Promise((resolve) => {
      this.pending.push((m) => resolve(m.cpuUs));
      this.proc.send('cpu');
    });
  }
  /** Asks the child to exit (so a CPU profile is written), and waits for it. */
  async stop() {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.send('exit');
    await exited;
  }
}

async function main() {
  // loaded here, not at the top: the gateways' child processes run this file too and need none of the subgraphs
  const { SUPERGRAPH_PATH } = await import('@cockpit/cli');
  const { startBenchStack } = require('./stack') as typeof import('./stack');
  const stack = await startBenchStack({ masterKey: MASTER_KEY });
  const keys = stack.keys.gateway;
  const children: Child[] = [];
  const agent = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 30_000 });
  try {
    process.stderr.write('seeding …\n');
    const post = gatewayPoster(stack.url);
    const account = await seedDashboardAccount((q, v = {}, a) => post(MASTER_KEY, q, v, a));
    let supergraphSdl = readFileSync(SUPERGRAPH_PATH, 'utf8');
    // every gateway reads the subgraphs' addresses from the supergraph
    for (const [name, url] of Object.entries(stack.subgraphUrls))
      supergraphSdl = supergraphSdl.replace(new RegExp(`(@join__graph\\(name: "${name}", url: )"[^"]*"`), `$1"${url}"`);
    const pem = (k: KeyObject) => k.export({ type: k.type === 'private' ? 'pkcs8' : 'spki', format: 'pem' }).toString();
    const config: ChildConfig = {
      supergraphPath: SUPERGRAPH_PATH,
      supergraphSdl,
      subgraphUrls: stack.subgraphUrls,
      internalKeyPem: pem(keys.privateKey),
      identityPublicKeyPem: pem(stack.keys.identity.publicKey),
      accountId: account,
    };
    const urls = {} as Record<Kind, string>;
    const byKind = {} as Record<Kind, Child>;
    for (const kind of KINDS) {
      const { child: c, url } = await Child.start(kind, config);
      children.push(c);
      byKind[kind] = c;
      urls[kind] = url;
    }

    const headers = { 'content-type': 'application/json', authorization: `Bearer ${MASTER_KEY}`, 'x-account-id': account };
    const body = JSON.stringify({ query: DASHBOARD });
    const send = async (url: string) => {
      const r = await request(url, { method: 'POST', dispatcher: agent, headers, body });
      return { status: r.statusCode, text: await r.body.text() };
    };
    // every gateway gives the same complete answer; the floor's calls all succeed
    const reference = JSON.parse((await send(urls.cockpit)).text);
    const problem = checkDashboard(reference.data);
    if (reference.errors || problem)
      throw new Error(`cockpit's dashboard is ${problem ?? 'in error'}: ${JSON.stringify(reference).slice(0, 500)}`);
    const answerBytes = Buffer.byteLength(JSON.stringify(reference));
    for (const kind of KINDS) {
      const r = await send(urls[kind]);
      const parsed = JSON.parse(r.text);
      const ok =
        r.status === 200 &&
        (kind === 'direct'
          ? (parsed as any[]).every((p) => p.data && !p.errors)
          : !parsed.errors && isDeepStrictEqual(parsed.data, reference.data));
      if (!ok) throw new Error(`${kind} answers differently (${r.status}): ${r.text.slice(0, 500)}`);
    }

    let failures = 0;
    let firstFailure = '';
    const round = async (kind: Kind): Promise<Round> => {
      let next = 0;
      const latencies: number[] = [];
      const cpu0 = await byKind[kind].cpu();
      const here0 = process.cpuUsage();
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next++ < PER_ROUND) {
            const t = performance.now();
            const r = await send(urls[kind]);
            latencies.push(performance.now() - t);
            if (r.status !== 200 || (kind !== 'direct' && r.text.includes('"errors"'))) {
              failures++;
              firstFailure ||= `${kind}: ${r.status} ${r.text.slice(0, 300)}`;
            }
          }
        }),
      );
      const ms = performance.now() - t0;
      const here = process.cpuUsage(here0);
      return { ms, cpuUs: (await byKind[kind].cpu()) - cpu0, harnessUs: here.user + here.system, latencies };
    };

    process.stderr.write(`measuring ${ROUNDS} rounds × ${PER_ROUND} requests per endpoint, concurrency ${CONCURRENCY} …\n`);
    for (const kind of KINDS) await round(kind); // warm-up
    const results = Object.fromEntries(KINDS.map((k) => [k, [] as Round[]])) as Record<Kind, Round[]>;
    for (let i = 0; i < ROUNDS; i++) {
      const order = KINDS.map((_, j) => KINDS[(i + j) % KINDS.length]);
      for (const kind of order) {
        const r = await round(kind);
        results[kind].push(r);
        process.stderr.write(
          `  round ${i + 1} ${kind}: ${((PER_ROUND / r.ms) * 1000).toFixed(1)} req/s, ${(r.cpuUs / PER_ROUND / 1000).toFixed(2)} ms CPU/req\n`,
        );
      }
    }
    if (failures) throw new Error(`${failures} requests failed; first: ${firstFailure}`);

    const summary = (rs: Round[]) => {
      const lat = rs.flatMap((r) => r.latencies).sort((a, b) => a - b);
      const n = lat.length;
      return {
        rps: (n / rs.reduce((s, r) => s + r.ms, 0)) * 1000,
        p50: lat[Math.floor(n / 2)],
        p99: lat[Math.min(n - 1, Math.floor(n * 0.99))],
        cpuMs: rs.reduce((s, r) => s + r.cpuUs, 0) / n / 1000,
        harnessMs: rs.reduce((s, r) => s + r.harnessUs, 0) / n / 1000,
      };
    };
    const s = Object.fromEntries(KINDS.map((k) => [k, summary(results[k])])) as Record<Kind, ReturnType<typeof summary>>;
    const f = (n: number, d = 2) => n.toFixed(d);
    console.log(
      `\nGateways on the same subgraphs (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}; dashboard answer ${answerBytes} bytes; ` +
        `${ROUNDS} interleaved rounds × ${PER_ROUND} requests per endpoint, concurrency ${CONCURRENCY}, 0 failures)`,
    );
    // the harness process runs the five subgraphs and the load client (and PGlite when embedded): what the
    // gateway's calls cost behind it, per request it answered
    console.log('| endpoint | req/s | p50 / p99 ms | CPU ms/request | CPU ÷ apollo | req/s ÷ apollo | subgraphs + client CPU ms/request |');
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const k of KINDS)
      console.log(
        `| ${k} | ${f(s[k].rps, 1)} | ${f(s[k].p50, 1)} / ${f(s[k].p99, 1)} | ${f(s[k].cpuMs)} | ${f(s[k].cpuMs / s.apollo.cpuMs)} | ${f(s[k].rps / s.apollo.rps)} | ${f(s[k].harnessMs)} |`,
      );
    // Cockpit against each peer: with its defaults, and without deduplication (the like-for-like with apollo, hive-nodedup, direct)
    const ours = KINDS.filter((k) => k === 'cockpit' || k === 'cockpit-nodedup');
    const peers = KINDS.filter((k) => !k.startsWith('cockpit'));
    console.log(`\nRatios to each peer (< 1 CPU and p50: Cockpit cheaper / faster; > 1 req/s: Cockpit faster)`);
    console.log(`| peer | ${ours.map((o) => `${o} CPU ÷ peer | ${o} req/s ÷ peer | ${o} p50 ÷ peer`).join(' | ')} |`);
    console.log(`| --- |${' --- |'.repeat(ours.length * 3)}`);
    for (const p of peers)
      console.log(
        `| ${p} | ${ours.map((o) => `${f(s[o].cpuMs / s[p].cpuMs)} | ${f(s[o].rps / s[p].rps)} | ${f(s[o].p50 / s[p].p50)}`).join(' | ')} |`,
      );
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await agent.close();
    await stack.close();
  }
}

if (process.argv[2] === 'child') {
  const kind = process.argv[3] as Kind;
  const config = JSON.parse(process.env.BENCH_COMPARE_CONFIG!) as ChildConfig;
  child(kind, config).then(
    (url) => {
      process.on('message', (m) => {
        if (m === 'exit') process.exit(0);
        if (m === 'cpu') {
          const u = process.cpuUsage();
          process.send!({ cpuUs: u.user + u.system });
        }
      });
      process.send!({ url });
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
