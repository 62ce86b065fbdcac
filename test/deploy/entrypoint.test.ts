import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase } from '@cockpit/kit';
import { eventually } from '../support/stack';
import { find, k8sObjects, podRun, ROOT, SERVICES, writeKeys, type PodRun, type Service, TEST_SECRET_KEYS } from './manifests';

// like the replica suites: the services run as separate processes on one real PostgreSQL
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;
/** Where the entrypoint runs from: this checkout, or (COCKPIT_DEPLOY_ROOT) a copy laid out as the image is, after `npm ci --omit=dev`. */
const APP = process.env.COCKPIT_DEPLOY_ROOT ?? ROOT;

/**
 * The image's entrypoint (deploy/entrypoint.sh) run the way the container runs it, once per pod of
 * deploy/k8s: the migration Job's arguments and environment first, then each Deployment's, with
 * the Secrets as mounted files. Only what a cluster provides is stood in for: the service names
 * resolve to loopback ports (each PORT and the URLs naming cockpit-<service>), the mounts are
 * folders, HOST is loopback, and Redis is absent (the gateway then counts in memory, as designed).
 */
onPostgres('the image entrypoint with the manifests’ arguments and environment (PostgreSQL)', () => {
  const objects = k8sObjects();
  const tmp = mkdtempSync(join(tmpdir(), 'cockpit-entry-'));
  const children: { name: string; child: ChildProcess; output: string[]; exit: Promise<number | string | null> }[] = [];
  let db: { url: string; close(): Promise<void> };
  const ports = {} as Record<Service, number>;
  const masterKey = `mk-${Date.now()}-entrypoint`;
  let runs: Record<Service | 'migrate', PodRun>;

  beforeAll(async () => {
    db = await freshDatabase();
    for (const s of SERVICES) ports[s] = await freePort();
    const noRedis = await freePort();
    const keys = writeKeys(join(tmp, 'keys'));
    const secretFiles: Record<string, Record<string, string>> = {
      'cockpit-public-keys': Object.fromEntries(SERVICES.map((s) => [`${s}.pub`, keys[s].pub])),
      ...Object.fromEntries(SERVICES.map((s) => [`cockpit-${s}-key`, { [`${s}.key`]: keys[s].key }])),
      'cockpit-secret-keys': { 'secret-keys': TEST_SECRET_KEYS },
    };
    const secrets = { 'cockpit-database/url': db.url, 'cockpit-master-key/master-key': masterKey };
    const local = (run: PodRun, self?: Service): PodRun => {
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(run.env))
        env[k] = v
          .replace(/^http:\/\/cockpit-([a-z]+):\d+/, (_, n: Service) => `http://127.0.0.1:${ports[n]}`)
          .replace(/^redis:\/\/cockpit-redis:\d+$/, `redis://127.0.0.1:${noRedis}`);
      if (self) Object.assign(env, { PORT: String(ports[self]), HOST: '127.0.0.1' });
      return { ...run, env };
    };
    const job = find(objects, 'Job', 'cockpit-migrate').spec.template.spec;
    runs = { migrate: local(podRun(job, join(tmp, 'migrate'), secrets, secretFiles)) } as typeof runs;
    for (const s of SERVICES)
      runs[s] = local(podRun(find(objects, 'Deployment', `cockpit-${s}`).spec.template.spec, join(tmp, s), secrets, secretFiles), s);
  });

  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exit));
    await db?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  /** `sh deploy/entrypoint.sh <args>` with nothing but the pod's environment (and PATH to find node). */
  function start(name: string, run: PodRun) {
    const child = spawn('sh', [join(APP, 'deploy', 'entrypoint.sh'), ...run.args], {
      env: { PATH: process.env.PATH!, TMPDIR: run.mounts['/tmp'], ...run.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    child.stdout!.on('data', (d) => output.push(String(d)));
    child.stderr!.on('data', (d) => output.push(String(d)));
    const exit = new Promise<number | string | null>((r) => child.once('exit', (code, signal) => r(code ?? signal)));
    const entry = { name, child, output, exit };
    children.push(entry);
    return entry;
  }

  async function readyz(name: string, port: number, proc: { child: ChildProcess; output: string[] }) {
    return eventually(async () => {
      if (proc.child.exitCode !== null) throw new Error(`${name} exited (${proc.child.exitCode}): ${proc.output.join('').slice(-2000)}`);
      const r = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
      return r?.status === 200 ? ((await r.json()) as { ready: boolean }) : undefined;
    }, 150_000);
  }

  it('the migration Job migrates the database and exits 0', async () => {
    const m = start('migrate', runs.migrate);
    const code = await m.exit;
    if (code !== 0) throw new Error(`migrate exited ${code}: ${m.output.join('').slice(-2000)}`);
    const { Client } = await import('pg');
    const c = new Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c.query(`select nspname from pg_namespace where nspname = any($1) order by 1`, [SERVICES.slice(1)]);
    await c.end();
    expect(rows.map((r) => r.nspname)).toEqual([...SERVICES.slice(1)].sort());
  });

  it('each subgraph starts from its Deployment and answers /healthz and /readyz', async () => {
    const procs = SERVICES.slice(1).map((s) => [s, start(s, runs[s])] as const);
    for (const [s, p] of procs) {
      expect(await readyz(s, ports[s], p)).toEqual({ ready: true });
      expect((await fetch(`http://127.0.0.1:${ports[s]}/healthz`)).status).toBe(200);
      // only the gateway's signature opens /graphql: the pod trusts the gateway key it mounted, nothing else
      expect((await fetch(`http://127.0.0.1:${ports[s]}/graphql`, { method: 'POST' })).status).toBe(401);
    }
  });

  it('the gateway starts from its Deployment, is ready once every subgraph is, and serves the API across them', async () => {
    const g = start('gateway', runs.gateway);
    expect(await readyz('gateway', ports.gateway, g)).toEqual({ ready: true });
    const gql = async (query: string, accountId?: string) => {
      const r = await fetch(`http://127.0.0.1:${ports.gateway}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${masterKey}`,
          ...(accountId ? { 'x-account-id': accountId } : {}),
        },
        body: JSON.stringify({ query }),
      });
      const body = (await r.json()) as { data?: any; errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const id = (await gql(`mutation { createAccount(input: { name: "Deployed", emailDomain: "deploy.example", planTier: TEAM }) { id } }`))
      .createAccount.id;
    // identity, budgets, catalog and guardrails, each behind the keys its pod mounted
    expect(
      await gql(`{ account { name budgetPlan { monthlyCredits } eligibleModels { name } } guardrailPresets { totalCount } }`, id),
    ).toEqual({
      account: { name: 'Deployed', budgetPlan: null, eligibleModels: [] },
      guardrailPresets: { totalCount: 0 },
    });
    // identity's outbox reaches observability signed with identity's own key, which observability's pod trusts
    const log = await eventually(async () => {
      const d = await gql(`{ auditLog(first: 5) { nodes { type } } }`, id);
      return d.auditLog.nodes.length ? d.auditLog.nodes : undefined;
    }, 60_000);
    expect(log.map((n: { type: string }) => n.type)).toContain('account.created');
  });

  it('the entrypoint execs the service (node is the process the runtime signals) and SIGTERM stops it', async () => {
    const running = children.filter((c) => c.name !== 'migrate');
    expect(running.map((c) => c.name).sort()).toEqual([...SERVICES].sort());
    for (const c of running) {
      const cmdline = readFileSync(`/proc/${c.child.pid}/cmdline`, 'utf8').split('\0');
      expect(cmdline.slice(0, 3)).toEqual(['node', '--require', 'tsx/cjs']);
    }
    for (const c of running) c.child.kill('SIGTERM');
    // each service drains and exits 0 (Apollo Server's own handler, which re-raised the signal, is off)
    for (const code of await Promise.all(running.map((c) => c.exit))) expect(code).toBe(0);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
