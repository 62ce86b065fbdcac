import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateInternalKeys, SUBGRAPH_NAMES } from '@cockpit/kit';
import { gatewayEnv, startService, type ServiceProcess } from '../support/processes';

/**
 * SIGTERM drains the standalone gateway (a process of its own, NODE_ENV=development as deployed, where
 * Apollo Server would otherwise install its own signal handling): a query in flight when the signal
 * arrives is answered whole, new connections are refused, and the process exits 0.
 */
describe('SIGTERM drains the gateway', () => {
  let dir: string;
  let slow: Server;
  let gateway: ServiceProcess;
  let url: string;
  let seen = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cockpit-sigterm-'));
    const gw = generateInternalKeys();
    const identity = generateInternalKeys();
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
    const env = gatewayEnv({
      dir,
      gatewayPrivateKeyPem: gw.privateKeyPem,
      identityPublicKeyPem: identity.publicKeyPem,
      masterKey: 'sigterm-master-key-0123456789abcdef',
      subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, slowUrl])),
      extra: { COCKPIT_DRAIN_MS: '8000' },
    });
    gateway = await startService('gateway/src/main.ts', env);
    url = gateway.url;
  });
  afterAll(async () => {
    await gateway?.kill();
    await new Promise((r) => slow.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the in-flight query, refuses new connections, exits 0', async () => {
    const inFlight = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sigterm-master-key-0123456789abcdef' },
      body: JSON.stringify({ query: '{ accounts { totalCount } }' }),
    });
    // the query has reached the (slow) subgraph: now the signal
    while (seen === 0) await new Promise((r) => setTimeout(r, 20));
    gateway.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    expect(gateway.child.exitCode).toBeNull(); // still draining: Apollo's handler would have re-raised SIGTERM by now
    await expect(fetch(url.replace('/graphql', '/healthz'))).rejects.toThrow(); // no new connections

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { accounts: { totalCount: 7 } } });
    expect(await gateway.exited).toBe(0);
    expect(gateway.stderr()).not.toMatch(/error/i);
  });
});
