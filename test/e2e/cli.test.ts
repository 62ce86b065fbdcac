import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase } from '@cockpit/kit';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = join(ROOT, 'packages', 'cli', 'src', 'main.ts');

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

  const up = () =>
    new Promise<{ url: string; out: () => string }>((resolve, reject) => {
      let out = '';
      child = spawn(TSX, [CLI, 'up'], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      const timer = setTimeout(() => reject(new Error(`cockpit up did not start:\n${out}`)), 90_000);
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

  let firstKey: string;

  it('starts the whole stack, writes the bootstrap admin key to a 0600 file and never prints it to a pipe', async () => {
    const { url, out } = await up();
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

    const minted = spawnSync(TSX, [CLI, 'token', '--role', 'OWNER', '--account', accountId], { env, cwd: ROOT, encoding: 'utf8' });
    expect(minted.status).toBe(0);
    const token = minted.stdout.trim();
    const me = await gql(url, token, `{ account { name orgs { nodes { name } } } }`);
    expect(me).toEqual({ data: { account: { name: 'Cli Co', orgs: { nodes: [{ name: 'global' }] } } } });

    expect(await stop()).toBe(0);
  }, 120_000);

  it('recovers from lock-out with a new audited admin key, and does not bootstrap twice', async () => {
    const recovered = spawnSync(TSX, [CLI, 'keys', 'recover'], { env, cwd: ROOT, encoding: 'utf8' });
    expect(recovered.status).toBe(0);
    const newKey = readFileSync(join(home, 'admin-key'), 'utf8').trim();
    expect(newKey).toMatch(/^sk-cap-[a-z2-7]{52}$/);
    expect(newKey).not.toBe(firstKey);
    expect(recovered.stdout).not.toContain(newKey);

    const { url, out } = await up();
    expect(out()).toContain('already exists');
    const audit = await gql(
      url,
      newKey,
      `{ auditLog(filter: { types: ["api_key.bootstrapped", "api_key.recovered"] }) { nodes { type } } }`,
    );
    expect(audit.errors).toBeUndefined();
    expect(audit.data.auditLog.nodes.map((n: any) => n.type).sort()).toEqual(['api_key.bootstrapped', 'api_key.recovered']);
    expect(await stop()).toBe(0);
  }, 120_000);

  it('shows the new key’s literal only on a terminal', () => {
    // util-linux `script` gives the command a pseudo-terminal as stdout
    const r = spawnSync('script', ['-qec', `'${TSX}' '${CLI}' keys recover`, '/dev/null'], { env, cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const key = readFileSync(join(home, 'admin-key'), 'utf8').trim();
    expect(key).toMatch(/^sk-cap-[a-z2-7]{52}$/);
    expect(r.stdout).toContain(key);
  });

  it('explains bad arguments', () => {
    const r = spawnSync(TSX, [CLI, 'token', '--role', 'KING'], { env, cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--role SUPER_ADMIN\|OWNER/);
  });
});
