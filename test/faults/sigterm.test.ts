import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateInternalKeys } from '@cockpit/kit';

/**
 * SIGTERM drains the standalone gateway (a process of its own, NODE_ENV=development as deployed, where
 * Apollo Server would otherwise install its own signal handling): a query in flight when the signal
 * arrives is answered whole, new connections are refused, and the process exits 0.
 */
describe('SIGTERM drains the gateway', () => {
  const root = join(__dirname, '..', '..');
  let dir: string;
  let slow: Server;
  let gateway: ChildProcess;
  let url: string;
  let seen = 0;
  let err = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cockpit-sigterm-'));
    const gw = generateInternalKeys();
    const identity = generateInternalKeys();
    writeFileSync(join(dir, 'gateway.key'), gw.privateKeyPem);
    writeFileSync(join(dir, 'identity.pub'), identity.publicKeyPem);
    // every subgraph is one slow server: it answers the accounts query after 1.5 s
    slow = createServer((req, res) => {
      if (req.url?.endsWith('/readyz')) return res.end('ok');
      req.resume();
      req.on('end', () => {
        seen++;
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ data: { accounts: { totalCount: 7 } } }));
        }, 1500);
      });
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    const slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/graphql`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      PORT: '0',
      LOG_LEVEL: 'info',
      COCKPIT_GATEWAY_KEY_FILE: join(dir, 'gateway.key'),
      COCKPIT_IDENTITY_PUBLIC_KEY_FILE: join(dir, 'identity.pub'),
      COCKPIT_MASTER_KEY: 'sigterm-master-key-0123456789abcdef',
      COCKPIT_SUPERGRAPH: join(root, 'schema', 'supergraph.graphql'),
      COCKPIT_DRAIN_MS: '8000',
    };
    for (const n of ['IDENTITY', 'BUDGETS', 'CATALOG', 'GUARDRAILS', 'OBSERVABILITY']) env[`COCKPIT_${n}_URL`] = slowUrl;
    gateway = spawn(process.execPath, ['--require', 'tsx/cjs', join(root, 'gateway', 'src', 'main.ts')], { cwd: root, env, stdio: 'pipe' });
    url = await new Promise<string>((resolve, reject) => {
      gateway.stderr!.on('data', (c) => {
        err += c;
        const m = /gateway listening on (http:\/\/\S+)/.exec(err);
        if (m) resolve(m[1]);
      });
      gateway.once('exit', (code) => reject(new Error(`gateway exited ${code}: ${err}`)));
    });
  });
  afterAll(async () => {
    if (gateway.exitCode === null) gateway.kill('SIGKILL');
    await new Promise((r) => slow.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the in-flight query, refuses new connections, exits 0', async () => {
    const exited = new Promise<number | null>((r) => gateway.once('exit', (code) => r(code)));
    const inFlight = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sigterm-master-key-0123456789abcdef' },
      body: JSON.stringify({ query: '{ accounts { totalCount } }' }),
    });
    // the query has reached the (slow) subgraph: now the signal
    while (seen === 0) await new Promise((r) => setTimeout(r, 20));
    gateway.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    expect(gateway.exitCode).toBeNull(); // still draining: Apollo's handler would have re-raised SIGTERM by now
    await expect(fetch(url.replace('/graphql', '/healthz'))).rejects.toThrow(); // no new connections

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { accounts: { totalCount: 7 } } });
    expect(await exited).toBe(0);
    expect(err).not.toMatch(/error/i);
  });
});
