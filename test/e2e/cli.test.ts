import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase } from '@cockpit/kit';

const ROOT = join(__dirname, '..', '..');
const SCRIPTS = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
/** A package.json script's node arguments: `npm start` and `npm run cockpit` run node itself, with tsx's CommonJS hook. */
const nodeArgs = (script: string) => {
  const [cmd, ...args] = SCRIPTS[script].split(' ');
  if (cmd !== 'node') throw new Error(`npm run ${script} should run node, not ${cmd}`);
  return args;
};
/** `npm start` exactly as package.json runs it (`node --require tsx/cjs packages/cli/src/main.ts up`). */
const UP = nodeArgs('start');
/** `npm run cockpit -- <command>`. */
const COCKPIT = nodeArgs('cockpit');
/** Preloaded into `cockpit up` to list what each of its processes loaded (test/support/loaded-modules.cjs). */
const LOADED_MODULES = join(ROOT, 'test', 'support', 'loaded-modules.cjs');
/** Packages only the subgraphs run (as in gateway/test/edge-imports.test.ts). */
const SUBGRAPH_ONLY = /[\\/]node_modules[\\/](@mikro-orm|knex|pg|pg-pool|@electric-sql|@apollo[\\/]subgraph|umzug)[\\/]/;

/** `npm start` as a user runs it: `cockpit up` in its own process, the bootstrap key, dev tokens, recovery. */
describe('the cockpit CLI', () => {
  const home = mkdtempSync(join(tmpdir(), 'cockpit-home-'));
  let db: { url: string; close(): Promise<void> } | undefined;
  let env: NodeJS.ProcessEnv;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    // on PostgreSQL runs use a fresh database; otherwise exercise the embedded default under COCKPIT_HOME
    if (process.env.DATABASE_URL) db = await freshDatabase();
    env = { ...process.env, COCKPIT_HOME: home, PORT: '0', LOG_LEVEL: 'error', DATABASE_URL: db?.url ?? '' };
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await db?.close();
  });

  const up = (extraEnv: NodeJS.ProcessEnv = {}, nodeOptions: string[] = []) =>
    new Promise<{ url: string; out: () => string }>((resolve, reject) => {
      let out = '';
      child = spawn(process.execPath, [...nodeOptions, ...UP], {
        env: { ...env, ...extraEnv },
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // a busy machine may take minutes; one that never starts is killed so it cannot hold the database for the next test
      const timer = setTimeout(() => {
        child?.kill('SIGKILL');
        reject(new Error(`cockpit up did not start:\n${out}`));
      }, 170_000);
      child.stdout!.on('data', (d) => {
        out += d;
        const m = out.match(/Cockpit is up in [\d.]+ s: (http:\/\/\S+\/graphql)/);
        if (m && /try it:/.test(out)) {
          clearTimeout(timer);
          resolve({ url: m[1], out: () => out });
        }
      });
      child.stderr!.on('data', (d) => (out += d));
      child.once('exit', (code) => reject(new Error(`cockpit up exited with ${code}:\n${out}`)));
    });

  const stop = () =>
    new Promise<number | null>((resolve) => {
      child!.once('exit', (code) => resolve(code));
      child!.kill('SIGTERM');
    });

  const gql = async (url: string, token: string, query: string, accountId?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    if (accountId) headers['x-account-id'] = accountId;
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query }) });
    return (await res.json()) as { data?: any; errors?: any[] };
  };

  const cli = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [...COCKPIT, ...args], { env: { ...env, ...extraEnv }, cwd: ROOT, encoding: 'utf8' });

  let firstKey: string;
  let cliAccount: string;

  it('starts the whole stack, writes the bootstrap admin key to a 0600 file and never prints it to a pipe', async () => {
    // two processes: the key is bootstrapped in the subgraph process and reaches this one over IPC
    const { url, out } = await up({ COCKPIT_PROCESSES: '2' });
    const keyFile = join(home, 'admin-key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'gateway.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'dev-issuer.key')).mode & 0o777).toBe(0o600);
    // a key pair per service, none of them the gateway's
    const pubs = new Set([readFileSync(join(home, 'gateway.pub'), 'utf8')]);
    for (const name of ['identity', 'budgets', 'catalog', 'guardrails', 'observability']) {
      expect(statSync(join(home, `${name}.key`)).mode & 0o777).toBe(0o600);
      pubs.add(readFileSync(join(home, `${name}.pub`), 'utf8'));
    }
    expect(pubs.size).toBe(6);
    firstKey = readFileSync(keyFile, 'utf8').trim();
    expect(firstKey).toMatch(/^sk-cap-[a-z2-7]{52}$/);
    expect(out()).toContain(keyFile);
    expect(out()).not.toContain(firstKey);

    const created = await gql(
      url,
      firstKey,
      `mutation { createAccount(input: { name: "Cli Co", emailDomain: "cli.example", planTier: FREE }) { id } }`,
    );
    expect(created.errors).toBeUndefined();
    const accountId = created.data.createAccount.id;
    cliAccount = accountId;

    const minted = spawnSync(process.execPath, [...COCKPIT, 'token', '--role', 'OWNER', '--account', accountId], {
      env,
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(minted.status).toBe(0);
    const token = minted.stdout.trim();
    const me = await gql(url, token, `{ account { name orgs { nodes { name } } } }`);
    expect(me).toEqual({ data: { account: { name: 'Cli Co', orgs: { nodes: [{ name: 'global' }] } } } });
    // sealed under the home's generated key, for `rotate-secrets` below
    const conn = await gql(
      url,
      token,
      `mutation { createToolConnection(input: { name: "gh", type: COMPOSIO, config: { auth_mode: "api_key" }, secret: { api_key: "k" } }) { id } }`,
    );
    expect(conn.errors).toBeUndefined();

    expect(await stop()).toBe(0);
  }, 240_000);

  it('rotate-secrets re-wraps every connection secret under the first key, and the old key is then not needed', () => {
    const homeKeys = join(home, 'secret-keys');
    const a = readFileSync(homeKeys, 'utf8').trim();
    const b = `k-b:${randomBytes(32).toString('base64')}`;
    const c = `k-c:${randomBytes(32).toString('base64')}`;
    let r = cli(['rotate-secrets'], { COCKPIT_SECRET_KEYS: `${b},${a}` });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('rotated 1 connection secret under key k-b (1 account)');
    r = cli(['rotate-secrets'], { COCKPIT_SECRET_KEYS: b });
    expect(r.stdout).toContain('rotated 0 connection secrets under key k-b (0 accounts)');
    // the home's file, as `cockpit up` reads it: B alone opens the data key to re-wrap it under C
    writeFileSync(homeKeys, `${c},${b}\n`);
    r = cli(['rotate-secrets']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('rotated 1 connection secret under key k-c (1 account)');
    expect(r.stdout).not.toContain(c.split(':')[1]);
    // no keys anywhere: says what to set, starts nothing
    const fresh = mkdtempSync(join(tmpdir(), 'cockpit-fresh-'));
    r = cli(['rotate-secrets'], { COCKPIT_HOME: fresh, COCKPIT_SECRET_KEYS: '' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^no connection-secret keys: set COCKPIT_SECRET_KEYS to the stack's keys with the new one first/);
    expect(readdirSync(fresh)).toEqual([]);
  }, 240_000);

  it('rotate-secrets reads COCKPIT_SECRET_KEYS_FILE as the catalog does; a malformed or missing key is one line saying what to fix, exit 1', () => {
    const homeKeys = join(home, 'secret-keys');
    const current = readFileSync(homeKeys, 'utf8').trim();
    const d = `k-d:${randomBytes(32).toString('base64')}`;
    const file = join(mkdtempSync(join(tmpdir(), 'cockpit-keys-')), 'secret-keys');
    writeFileSync(file, `${d},${current}\n`);
    let r = cli(['rotate-secrets'], { COCKPIT_SECRET_KEYS: '', COCKPIT_SECRET_KEYS_FILE: file });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('rotated 1 connection secret under key k-d (1 account)');
    writeFileSync(homeKeys, `${d},${current}\n`); // the home's keys stay the stack's for the tests below

    const material = [d, current, 'not*base64!!', 'c2hvcnQ='].flatMap((k) => k.split(/[:,]/));
    const refused = (extra: NodeJS.ProcessEnv, message: RegExp) => {
      const out = cli(['rotate-secrets'], { COCKPIT_SECRET_KEYS: '', ...extra });
      expect(out.status).toBe(1);
      const lines = out.stderr.trim().split('\n');
      expect(lines).toHaveLength(1); // no stack trace
      expect(lines[0]).toMatch(message);
      for (const m of material.filter((x) => x.length > 8)) expect(out.stderr + out.stdout).not.toContain(m);
    };
    const e = `k-e:${randomBytes(32).toString('base64')}`;
    refused(
      { COCKPIT_SECRET_KEYS: `k-x:not*base64!!,${d}` },
      /^COCKPIT_SECRET_KEYS: key k-x must be 32 bytes, base64-encoded; fix it .* and run again$/,
    );
    refused({ COCKPIT_SECRET_KEYS: 'k-y:c2hvcnQ=' }, /^COCKPIT_SECRET_KEYS: key k-y must be 32 bytes, base64-encoded; fix it/);
    writeFileSync(file, `:${randomBytes(32).toString('base64')}\n`);
    refused({ COCKPIT_SECRET_KEYS_FILE: file }, /^COCKPIT_SECRET_KEYS_FILE \(.*\): entry 1 needs a key id .*; fix it/);
    // the stored secret's key (k-d) is not among them: named, with what to list
    refused(
      { COCKPIT_SECRET_KEYS: e },
      /^COCKPIT_SECRET_KEYS: connection secrets are sealed under key k-d, which is not listed; list it after the new key/,
    );
    // nothing was re-wrapped: the stack's keys still open it
    r = cli(['rotate-secrets']);
    expect(r.stdout).toContain('rotated 0 connection secrets under key k-d (0 accounts)');
  }, 240_000);

  it('recovers from lock-out with a new audited admin key, and does not bootstrap twice', async () => {
    const recovered = spawnSync(process.execPath, [...COCKPIT, 'keys', 'recover'], { env, cwd: ROOT, encoding: 'utf8' });
    expect(recovered.status).toBe(0);
    const newKey = readFileSync(join(home, 'admin-key'), 'utf8').trim();
    expect(newKey).toMatch(/^sk-cap-[a-z2-7]{52}$/);
    expect(newKey).not.toBe(firstKey);
    expect(recovered.stdout).not.toContain(newKey);

    const { url, out } = await up({ COCKPIT_PROCESSES: '1' });
    expect(out()).toContain('already exists');
    expect(out()).toMatch(/one process \(\d+; COCKPIT_PROCESSES=1\)/);
    const audit = await gql(
      url,
      newKey,
      `{ auditLog(filter: { types: ["api_key.bootstrapped", "api_key.recovered"] }) { nodes { type } } }`,
    );
    expect(audit.errors).toBeUndefined();
    expect(audit.data.auditLog.nodes.map((n: any) => n.type).sort()).toEqual(['api_key.bootstrapped', 'api_key.recovered']);
    // rotate-secrets' three re-wraps, audited in the account as the mutation's are
    const owner = cli(['token', '--role', 'OWNER', '--account', cliAccount]).stdout.trim();
    const rotations = await gql(
      url,
      owner,
      `{ auditLog(filter: { types: ["tool_connection.secrets_rotated"] }) { nodes { type source } } }`,
    );
    expect(rotations.errors).toBeUndefined();
    expect(rotations.data.auditLog.nodes).toEqual([
      { type: 'tool_connection.secrets_rotated', source: 'catalog' },
      { type: 'tool_connection.secrets_rotated', source: 'catalog' },
      { type: 'tool_connection.secrets_rotated', source: 'catalog' },
    ]);
    expect(await stop()).toBe(0);
  }, 240_000);

  /** The subgraph process `cockpit up` names, checked to be the child of the one the test started. */
  const subgraphProcess = (out: string) => {
    const m = /gateway in process (\d+); database and subgraphs in process (\d+) \(COCKPIT_PROCESSES=2\)/.exec(out);
    expect(m).not.toBeNull();
    const [gatewayPid, pid] = [Number(m![1]), Number(m![2])];
    expect(gatewayPid).toBe(child!.pid);
    expect(readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(new RegExp(`\nPPid:\\s+${gatewayPid}\n`));
    return pid;
  };
  const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/\nState:\s+Z/.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  /** A process that is not ours to wait on: polled until it is gone (or the test times out). */
  const gone = async (pid: number) => {
    while (alive(pid)) await new Promise((r) => setTimeout(r, 50));
  };

  it('with COCKPIT_PROCESSES=2 runs the subgraphs in a child that holds no secret on its command line or environment, and SIGTERM stops both', async () => {
    const loaded = mkdtempSync(join(tmpdir(), 'cockpit-loaded-'));
    const { url, out } = await up({ COCKPIT_PROCESSES: '2', LOADED_MODULES_DIR: loaded }, ['--require', LOADED_MODULES]);
    const pid = subgraphProcess(out());
    const gatewayPid = child!.pid!;
    const key = readFileSync(join(home, 'admin-key'), 'utf8').trim();
    for (const f of ['cmdline', 'environ']) {
      const text = readFileSync(`/proc/${pid}/${f}`, 'utf8');
      expect(text).not.toContain('sk-cap-');
      expect(text).not.toContain('PRIVATE KEY');
    }
    expect((await gql(url, key, `{ viewer { superAdmin } }`)).data.viewer.superAdmin).toBe(true);
    expect(await stop()).toBe(0);
    // cockpit up waits for its child before exiting: nothing is left
    expect(alive(pid)).toBe(false);
    // the gateway's process (the one holding every socket) loaded the gateway, not the subgraphs, the ORM or a database
    const modules = (p: number) => JSON.parse(readFileSync(join(loaded, `${p}.json`), 'utf8')) as string[];
    const gatewayModules = modules(gatewayPid);
    expect(gatewayModules.some((f) => f.endsWith(join('gateway', 'src', 'index.ts')))).toBe(true);
    expect(gatewayModules.filter((f) => SUBGRAPH_ONLY.test(f) || /[\\/]subgraphs[\\/]/.test(f))).toEqual([]);
    // the probe sees them where they run
    expect(modules(pid).some((f) => /[\\/]node_modules[\\/]@mikro-orm[\\/]core[\\/]/.test(f))).toBe(true);
  }, 240_000);

  it('exits 1 naming the reason when the subgraph process dies, and a killed cockpit up leaves no orphan', async () => {
    let started = await up({ COCKPIT_PROCESSES: '2' });
    let pid = subgraphProcess(started.out());
    const exited = new Promise<number | null>((r) => child!.once('exit', r));
    process.kill(pid, 'SIGKILL');
    expect(await exited).toBe(1);
    expect(started.out()).toContain(`the subgraph process (${pid}) stopped unexpectedly (killed by SIGKILL): stopping Cockpit`);

    started = await up({ COCKPIT_PROCESSES: '2' });
    pid = subgraphProcess(started.out());
    child!.kill('SIGKILL');
    // its IPC channel closes: the child closes the database and exits by itself
    await gone(pid);
    expect(alive(pid)).toBe(false);
  }, 400_000);

  it('shows the new key’s literal only on a terminal', () => {
    // util-linux `script` gives the command a pseudo-terminal as stdout
    const r = spawnSync('script', ['-qec', `'${process.execPath}' ${COCKPIT.join(' ')} keys recover`, '/dev/null'], {
      env,
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const key = readFileSync(join(home, 'admin-key'), 'utf8').trim();
    expect(key).toMatch(/^sk-cap-[a-z2-7]{52}$/);
    expect(r.stdout).toContain(key);
  });

  it('explains bad arguments', () => {
    const r = spawnSync(process.execPath, [...COCKPIT, 'token', '--role', 'KING'], { env, cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--role SUPER_ADMIN\|OWNER/);
  });

  it('will not mint a token in a home without the dev-issuer key (no gateway would trust a fresh one)', () => {
    const fresh = mkdtempSync(join(tmpdir(), 'cockpit-fresh-'));
    const r = cli(['token', '--role', 'SUPER_ADMIN'], { COCKPIT_HOME: fresh });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toMatch(/^no dev-issuer key in \S+: run `cockpit up` once/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(fresh, 'dev-issuer.key'))).toBe(false);
  });

  it('refuses a bad --ttl with one line, and honours a good one', () => {
    for (const ttl of ['soon', '0', '1.5', '2592001']) {
      const r = cli(['token', '--role', 'SUPER_ADMIN', '--ttl', ttl]);
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toBe(`--ttl must be a whole number of seconds from 1 to 2592000 (got "${ttl}")`);
    }
    const ok = cli(['token', '--role', 'SUPER_ADMIN', '--ttl', '90']); // the home has keys since the first `up`
    expect(ok.status).toBe(0);
    const claims = JSON.parse(Buffer.from(ok.stdout.trim().split('.')[1], 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(90);
  });

  it('reads the settings the README documents for it (a bad value is named, not ignored)', () => {
    const r = cli(['token', '--role', 'SUPER_ADMIN'], {
      OIDC_JWKS_COOLDOWN_SECONDS: 'soon',
      COCKPIT_RATE_LIMIT_STORE: 'redis',
      COCKPIT_RATE_LIMIT_MAX_IN_FLIGHT: 'many',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('OIDC_JWKS_COOLDOWN_SECONDS must be an integer');
    expect(r.stderr).toContain('COCKPIT_REDIS_URL is required');
    expect(r.stderr).toContain('COCKPIT_RATE_LIMIT_MAX_IN_FLIGHT must be an integer');
  });

  /** A base port whose next five are free too (the kernel's choice, then checked). */
  async function freeBase(): Promise<number> {
    for (;;) {
      const probe = createServer();
      await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
      const base = (probe.address() as { port: number }).port;
      await new Promise<void>((r) => probe.close(() => r()));
      if (base > 65530) continue;
      const held: Server[] = [];
      let free = true;
      for (let p = base; p <= base + 5 && free; p++) {
        const s = createServer();
        free = await new Promise<boolean>((r) => s.once('error', () => r(false)).listen(p, '127.0.0.1', () => r(true)));
        if (free) held.push(s);
      }
      for (const s of held) await new Promise<void>((r) => s.close(() => r()));
      if (free) return base;
    }
  }

  it('moves every service with PORT, and names the service and PORT+n when a port is taken', async () => {
    const base = await freeBase();
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(base + 3, '127.0.0.1', r));
    const failed = await new Promise<{ code: number | null; out: string }>((resolve) => {
      let out = '';
      const c = spawn(process.execPath, UP, { env: { ...env, PORT: String(base) }, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      c.stdout!.on('data', (d) => (out += d));
      c.stderr!.on('data', (d) => (out += d));
      c.once('exit', (code) => resolve({ code, out }));
    });
    await new Promise<void>((r) => squatter.close(() => r()));
    expect(failed.code).toBe(1);
    expect(failed.out).toContain(`port ${base + 3} (the catalog subgraph, PORT+3) is in use: set PORT`);

    const { url } = await up({ PORT: String(base) });
    expect(url).toBe(`http://127.0.0.1:${base}/graphql`);
    for (let k = 1; k <= 5; k++) expect((await fetch(`http://127.0.0.1:${base + k}/healthz`)).status).toBe(200);
    expect(await stop()).toBe(0);
  }, 400_000);
});

/** Both directions: every variable the README's configuration tables name is read somewhere, and every one read is documented. */
describe('the README’s configuration tables', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const config = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Operating it'));
  const sourceDirs = [
    'gateway/src',
    'packages/kit/src',
    'packages/cli/src',
    ...readdirSync(join(ROOT, 'subgraphs')).map((s) => `subgraphs/${s}/src`),
  ];
  const walk = (dir: string): string[] =>
    existsSync(join(ROOT, dir))
      ? readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? walk(`${dir}/${e.name}`) : e.name.endsWith('.ts') && e.name !== 'testing.ts' ? [`${dir}/${e.name}`] : [],
        )
      : [];
  const sources = sourceDirs
    .flatMap(walk)
    .map((f) => readFileSync(join(ROOT, f), 'utf8'))
    .join('\n');

  it('names no variable that no code reads', () => {
    const documented = [...new Set([...config.matchAll(/`([A-Z][A-Z0-9_]{2,})`/g)].map((m) => m[1]))];
    expect(documented.length).toBeGreaterThan(20);
    const unread = documented.filter((v) => !new RegExp(`['"\`.]${v}\\b`).test(sources));
    expect(unread).toEqual([]);
  });

  it('documents every variable the code reads by name', () => {
    const read = [
      ...new Set(
        [
          ...sources.matchAll(/\br\.(?:string|optional|int|oneOf|url|list)\(\s*'([A-Z][A-Z0-9_]+)'/g),
          ...sources.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g),
        ].map((m) => m[1]),
      ),
    ];
    expect(read.length).toBeGreaterThan(10);
    expect(read.filter((v) => !config.includes(v))).toEqual([]);
  });
});
