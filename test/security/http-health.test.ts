import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { freshDatabase } from '@cockpit/kit';
import { eventually, ok, startTestStack, type TestStack } from '../support/stack';

/** A TCP proxy in front of the database (TCP or the embedded one's Unix socket) that can cut it off: the database "goes away" for every subgraph at once. */
async function cuttableProxy(target: URL) {
  const sockets = new Set<Socket>();
  const host = decodeURIComponent(target.hostname);
  const port = Number(target.port || 5432);
  let open = true;
  const server: Server = createServer((client) => {
    if (!open) return void client.destroy();
    const upstream = connect(
      host.startsWith('/') ? { path: join(host, `.s.PGSQL.${port}`) } : { port, host }, // the embedded database listens on a Unix socket
    );
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as { port: number }).port);
  return {
    url: url.toString(),
    /** The database goes down: its port refuses connections, open sessions drop. */
    async cut() {
      open = false;
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      await closed;
    },
    async restore() {
      open = true;
      if (!server.listening) await new Promise<void>((r) => server.listen(Number(url.port), '127.0.0.1', r));
    },
    close: () => new Promise<void>((r) => (server.listening ? server.close(() => r()) : r())),
  };
}

/** Liveness and readiness (GW7): /readyz follows the database, /healthz only the process. */
describe('health and readiness', () => {
  let db: { url: string; close(): Promise<void> };
  let proxy: Awaited<ReturnType<typeof cuttableProxy>>;
  let s: TestStack;
  beforeAll(async () => {
    db = await freshDatabase();
    proxy = await cuttableProxy(new URL(db.url));
    s = await startTestStack({ databaseUrl: proxy.url });
  });
  afterAll(async () => {
    await proxy?.restore();
    await s?.close();
    await proxy?.close();
    await db?.close();
  });
  const get = async (path: string) => {
    const res = await fetch(s.url.replace(/\/graphql$/, path));
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('is ready when the supergraph is loaded and every subgraph reaches its database', async () => {
    expect(await get('/readyz')).toEqual({ status: 200, body: { ready: true } });
    for (const url of Object.values(s.subgraphUrls)) expect((await fetch(url.replace(/\/graphql$/, '/readyz'))).status).toBe(200);
  });

  it('database outage: readiness fails while the database is unreachable, liveness does not; both recover', async () => {
    await proxy.cut();
    const down = await eventually(async () => {
      const r = await get('/readyz');
      return r.status === 503 && r;
    });
    expect(down.body).toEqual({ ready: false, unready: ['identity', 'budgets', 'catalog', 'guardrails', 'observability'] });
    const subgraph = await fetch(s.subgraphUrls.identity.replace(/\/graphql$/, '/readyz'));
    expect(subgraph.status).toBe(503);
    // why, in a few words: no host, port or driver message
    expect(await subgraph.json()).toEqual({ ready: false, reason: 'the database refused or dropped the connection' });
    expect(await get('/healthz')).toEqual({ status: 200, body: { ok: true } });

    await proxy.restore();
    await eventually(async () => (await get('/readyz')).status === 200);
    expect(ok(await s.gql(`{ accounts { totalCount } }`, {}, { token: s.masterKey })).accounts.totalCount).toBe(0);
  });
});
