/**
 * `npm run bench:subgraph-cpu` (never part of `npm test`): the five subgraphs' CPU per dashboard
 * request, and nothing else's. The subgraphs (and PGlite when embedded) run in a child process of
 * their own — the "host", started from `startStack` with a fresh database and seeded with the
 * dashboard account; the Cockpit gateway that fans the dashboard out to them (with `dedup: false`,
 * so every request makes every subgraph call) and the load client run in this process. CPU per
 * request is the host's `process.cpuUsage()` delta over a round divided by the round's requests;
 * its idle gateway (the stack's own, which gets no traffic) is in it too, and is noise.
 *
 * `BENCH_SUBGRAPH_CPU_BASELINE=<another checkout>` (with its `npm install`) starts a second host
 * from that checkout's packages, on a database of its own, and alternates rounds between the two
 * (A B B A …): a before/after on one machine state. `BENCH_SUBGRAPH_CPU_PROFILE=<dir>` writes a
 * CPU profile of each host's measured rounds only (`<dir>/<host>.cpuprofile`, open it in Chrome's
 * DevTools or summarise it by self time). Other knobs: `BENCH_SUBGRAPH_CPU_ROUNDS` (4),
 * `BENCH_SUBGRAPH_CPU_REQUESTS` (per round, 150), `BENCH_SUBGRAPH_CPU_CONCURRENCY` (8), `BENCH_SUBGRAPH_CPU_COUNT=1` (count the SQL statements
 * too: through the ORM's query log, which costs CPU of its own — count and time in separate runs).
 *
 * `measureSubgraphCpu(options)` is the same measurement for another script to call.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Agent, request } from 'undici';
import { createGateway, DEFAULT_CLAIMS } from '../gateway/src';
import { checkDashboard, DASHBOARD, seedDashboardAccount } from './seed';
import { gatewayPoster } from './gql';

const MASTER_KEY = 'bench-master-key';

export interface SubgraphCpuOptions {
  /** Measured rounds per host (after one warm-up round each). */
  rounds?: number;
  /** Dashboard requests per round. */
  requests?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Another checkout whose subgraphs are measured alongside, rounds interleaved. */
  baseline?: string;
  /** A directory for each host's CPU profile of the measured rounds. */
  profileDir?: string;
  /** Count the SQL statements (the ORM's query log: it costs CPU of its own, so off by default). */
  countStatements?: boolean;
}

export interface SubgraphCpuResult {
  database: 'PostgreSQL' | 'embedded PGlite';
  /** Per host (`current`, and `baseline` when given): CPU ms and SQL statements per dashboard request, requests/s. */
  hosts: Record<
    string,
    { cpuMsPerRequest: number; systemMsPerRequest: number; statementsPerRequest: number; requestsPerSecond: number; rounds: number[] }
  >;
}

/** What a host reports when asked. */
interface HostReport {
  cpuUs: number;
  /** Of `cpuUs`, the kernel's (socket writes on loopback, billed to the writer). */
  systemUs: number;
  statements: number;
}

/** One subgraph host child process, spoken to over IPC. */
class Host {
  private pending: ((m: any) => void)[] = [];
  private constructor(
    readonly name: string,
    readonly proc: ChildProcess,
  ) {
    proc.on('message', (m) => this.pending.shift()?.(m));
  }
  static async start(name: string, checkout: string, gatewayKeyPem: string, countStatements: boolean) {
    const proc = fork(__filename, ['host', checkout], {
      // never inherit --cpu-prof: the host profiles only its measured rounds itself
      execArgv: ['--import', 'tsx', ...(process.env.BENCH_SUBGRAPH_CPU_FLAGS ?? '').split(' ').filter(Boolean)],
      env: { ...process.env, BENCH_SUBGRAPH_CPU_KEY: gatewayKeyPem, BENCH_SUBGRAPH_CPU_COUNT: countStatements ? '1' : '' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const host = new Host(name, proc);
    const ready = await new Promise<{ subgraphUrls: Record<string, string>; identityPublicKeyPem: string }>((ok, fail) => {
      host.pending.push(ok);
      proc.once('exit', (code) => fail(new Error(`host ${name} exited with ${code} before listening`)));
    });
    return { host, ...ready };
  }
  ask<T = HostReport>(message: string): Promise<T> {
    return new Promise((ok) => {
      this.pending.push(ok);
      this.proc.send(message);
    });
  }
  async stop() {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.send('exit');
    await exited;
  }
}

/** Runs the measurement (see the file's comment) and prints a table; returns the figures. */
export async function measureSubgraphCpu(opts: SubgraphCpuOptions = {}): Promise<SubgraphCpuResult> {
  const rounds = opts.rounds ?? 4;
  const perRound = opts.requests ?? 150;
  const concurrency = opts.concurrency ?? 8;
  const { createLogger, generateInternalKeys } = await import('@cockpit/kit');
  const { SUPERGRAPH_PATH } = await import('@cockpit/cli');
  const keys = generateInternalKeys();
  const checkouts: [string, string][] = [['current', resolve(__dirname, '..')]];
  if (opts.baseline) checkouts.push(['baseline', resolve(opts.baseline)]);
  const hosts: { host: Host; url: string; close(): Promise<void>; account: string }[] = [];
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 30_000 });
  try {
    for (const [name, checkout] of checkouts) {
      const started = await Host.start(name, checkout, keys.privateKeyPem, Boolean(opts.countStatements));
      const gateway = await createGateway(
        {
          supergraph: SUPERGRAPH_PATH,
          subgraphUrls: started.subgraphUrls as never,
          internalKey: createPrivateKey(keys.privateKeyPem),
          identityPublicKey: createPublicKey(started.identityPublicKeyPem),
          masterKey: MASTER_KEY,
          issuers: [],
          claims: DEFAULT_CLAIMS,
          apiKeyCacheSeconds: 30,
          allowedOrigins: [],
          production: false,
          logLevel: 'silent',
          dedup: false,
        },
        createLogger('gateway', 'silent'),
      );
      const url = await gateway.listen(0);
      hosts.push({ host: started.host, url, close: () => gateway.close(), account: '' });
      process.stderr.write(`seeding ${name} …\n`);
      const post = gatewayPoster(url);
      hosts[hosts.length - 1].account = await seedDashboardAccount((q, v = {}, a) => post(MASTER_KEY, q, v, a));
    }

    const send = async (h: (typeof hosts)[number]) => {
      const r = await request(h.url, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER_KEY}`, 'x-account-id': h.account },
        body: JSON.stringify({ query: DASHBOARD }),
      });
      const text = await r.body.text();
      if (r.statusCode !== 200) throw new Error(`${r.statusCode}: ${text.slice(0, 300)}`);
      return JSON.parse(text);
    };
    for (const h of hosts) {
      const answer = await send(h);
      const problem = answer.errors ? JSON.stringify(answer.errors).slice(0, 300) : checkDashboard(answer.data);
      if (problem) throw new Error(`${h.host.name}'s dashboard is ${problem}`);
    }
    const round = async (h: (typeof hosts)[number]) => {
      let next = 0;
      const before = await h.host.ask('report');
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next++ < perRound) {
            const answer = await send(h);
            if (answer.errors) throw new Error(JSON.stringify(answer.errors).slice(0, 300));
          }
        }),
      );
      const ms = performance.now() - t0;
      const after = await h.host.ask('report');
      return {
        ms,
        cpuUs: after.cpuUs - before.cpuUs,
        systemUs: after.systemUs - before.systemUs,
        statements: after.statements - before.statements,
      };
    };

    process.stderr.write(`measuring ${rounds} rounds × ${perRound} dashboard requests per host, concurrency ${concurrency} …\n`);
    for (const h of hosts) await round(h); // warm-up
    if (opts.profileDir) for (const h of hosts) await h.host.ask('profile-start');
    const results = hosts.map(() => [] as Awaited<ReturnType<typeof round>>[]);
    for (let i = 0; i < rounds; i++) {
      // A B, B A, …: drift on the shared machine hits both alike
      const order = i % 2 ? [...hosts.keys()].reverse() : [...hosts.keys()];
      for (const j of order) {
        const r = await round(hosts[j]);
        results[j].push(r);
        process.stderr.write(`  round ${i + 1} ${hosts[j].host.name}: ${(r.cpuUs / perRound / 1000).toFixed(2)} ms CPU/request\n`);
      }
    }
    if (opts.profileDir) {
      mkdirSync(opts.profileDir, { recursive: true });
      for (const h of hosts) {
        const { profile } = await h.host.ask<{ profile: unknown }>('profile-stop');
        writeFileSync(join(opts.profileDir, `${h.host.name}.cpuprofile`), JSON.stringify(profile));
      }
    }

    const database = process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite';
    const out: SubgraphCpuResult = { database, hosts: {} };
    console.log(
      `\nSubgraph CPU per dashboard request (${database}; ${rounds} rounds × ${perRound} requests per host, concurrency ${concurrency}, ` +
        'Cockpit gateway with dedup off and the client in another process)',
    );
    console.log('| host | CPU ms/request (rounds) | of it system | SQL statements/request | req/s |');
    console.log('| --- | --- | --- | --- | --- |');
    hosts.forEach((h, j) => {
      const rs = results[j];
      const n = rs.length * perRound;
      const cpu = rs.reduce((s, r) => s + r.cpuUs, 0) / n / 1000;
      const system = rs.reduce((s, r) => s + r.systemUs, 0) / n / 1000;
      const stats = {
        cpuMsPerRequest: cpu,
        systemMsPerRequest: system,
        statementsPerRequest: rs.reduce((s, r) => s + r.statements, 0) / n,
        requestsPerSecond: (n / rs.reduce((s, r) => s + r.ms, 0)) * 1000,
        rounds: rs.map((r) => r.cpuUs / perRound / 1000),
      };
      out.hosts[h.host.name] = stats;
      console.log(
        `| ${h.host.name} | ${cpu.toFixed(2)} (${stats.rounds.map((x) => x.toFixed(2)).join(', ')}) | ${system.toFixed(2)} | ${opts.countStatements ? stats.statementsPerRequest.toFixed(1) : '—'} | ${stats.requestsPerSecond.toFixed(1)} |`,
      );
    });
    return out;
  } finally {
    for (const h of hosts) await h.close();
    for (const h of hosts) await h.host.stop();
    await agent.close();
  }
}

/** The host child: the stack of `checkout` on a fresh database, answering reports over IPC. */
async function host(checkout: string) {
  const kit = (await import(pathToFileURL(join(checkout, 'packages/kit/src/index.ts')).href)) as typeof import('@cockpit/kit');
  const cli = (await import(pathToFileURL(join(checkout, 'packages/cli/src/index.ts')).href)) as typeof import('@cockpit/cli');
  const privateKey = createPrivateKey(process.env.BENCH_SUBGRAPH_CPU_KEY!);
  const db = await kit.freshDatabase();
  let statements = 0;
  const stack = await cli.startStack({
    databaseUrl: db.url,
    port: 0,
    randomPorts: true,
    internalKey: { privateKey, publicKey: createPublicKey(privateKey) },
    masterKey: MASTER_KEY,
    logLevel: 'silent',
    ...(process.env.COCKPIT_ANSWER_CACHE_MB ? { answerCacheMb: Number(process.env.COCKPIT_ANSWER_CACHE_MB) } : {}),
    ...(process.env.BENCH_SUBGRAPH_CPU_COUNT ? { onQuery: () => statements++ } : {}),
  });
  const session = new Session();
  session.connect();
  const pem = (k: KeyObject) => k.export({ type: 'spki', format: 'pem' }).toString();
  process.on('message', async (m) => {
    if (m === 'exit') {
      await stack.close();
      await db.close();
      process.exit(0);
    }
    if (m === 'report') {
      const u = process.cpuUsage();
      process.send!({ cpuUs: u.user + u.system, systemUs: u.system, statements });
    }
    if (m === 'profile-start') {
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      process.send!({});
    }
    if (m === 'profile-stop') process.send!(await session.post('Profiler.stop'));
  });
  process.send!({ subgraphUrls: stack.subgraphUrls, identityPublicKeyPem: pem(stack.keys.identity.publicKey) });
}

if (process.argv[2] === 'host') {
  host(process.argv[3]).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else if (require.main === module) {
  measureSubgraphCpu({
    rounds: Number(process.env.BENCH_SUBGRAPH_CPU_ROUNDS ?? 4),
    requests: Number(process.env.BENCH_SUBGRAPH_CPU_REQUESTS ?? 150),
    concurrency: Number(process.env.BENCH_SUBGRAPH_CPU_CONCURRENCY ?? 8),
    baseline: process.env.BENCH_SUBGRAPH_CPU_BASELINE,
    profileDir: process.env.BENCH_SUBGRAPH_CPU_PROFILE,
    countStatements: Boolean(process.env.BENCH_SUBGRAPH_CPU_COUNT),
  }).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
