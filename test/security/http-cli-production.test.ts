import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freshDatabase } from '@cockpit/kit';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = join(ROOT, 'packages', 'cli', 'src', 'main.ts');

/** `NODE_ENV=production cockpit up`, in its own process as an operator runs it. */
describe('cockpit up in production', () => {
  const home = mkdtempSync(join(tmpdir(), 'cockpit-prod-'));
  let db: { url: string; close(): Promise<void> } | undefined;
  let env: NodeJS.ProcessEnv;
  let child: ChildProcess | undefined;
  let url: string;
  let out = '';

  beforeAll(async () => {
    if (process.env.DATABASE_URL) db = await freshDatabase();
    env = { ...process.env, NODE_ENV: 'production', COCKPIT_HOME: home, PORT: '0', LOG_LEVEL: 'error', DATABASE_URL: db?.url ?? '' };
    url = await new Promise<string>((resolve, reject) => {
      child = spawn(TSX, [CLI, 'up'], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      const timer = setTimeout(() => reject(new Error(`cockpit up did not start:\n${out}`)), 90_000);
      child.stdout!.on('data', (d) => {
        out += d;
        const m = out.match(/Cockpit is up in [\d.]+ s: (http:\/\/\S+\/graphql)/);
        if (m && /try it:/.test(out)) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.stderr!.on('data', (d) => (out += d));
      child.once('exit', (code) => reject(new Error(`cockpit up exited with ${code}:\n${out}`)));
    });
  }, 120_000);
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await db?.close();
  });

  const post = async (token: string, query: string) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, body: (await res.json()) as { data?: any; errors?: { message: string; extensions: { code: string } }[] } };
  };

  it('forged dev token: a token minted with the local dev issuer is refused unless COCKPIT_DEV_ISSUER=on', async () => {
    const { stdout } = await promisify(execFile)(TSX, [CLI, 'token', '--role', 'SUPER_ADMIN'], { env, cwd: ROOT });
    const r = await post(stdout.trim(), `{ accounts { totalCount } }`);
    expect(r.status).toBe(401);
    expect(r.body.errors![0].extensions.code).toBe('UNAUTHORIZED');
    expect(out).not.toMatch(/a dev token for a role/);
  });

  it('schema discovery: introspection and GraphiQL are off', async () => {
    const key = readFileSync(join(home, 'admin-key'), 'utf8').trim();
    const r = await post(key, `{ __schema { queryType { name } } }`);
    expect(r.status).toBe(400);
    expect(r.body.errors![0].message).toMatch(/introspection is not allowed/i);
    expect((await post(key, `{ viewer { superAdmin } }`)).body.data.viewer.superAdmin).toBe(true);
    const page = await fetch(url, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).not.toMatch(/html/);
  });
});
