import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { freshDatabase, principal, signInternalToken, testLogger } from '@cockpit/kit';
import { createPostgresLiveBus } from '../src';
import { makeEvent, startObservability } from './helpers';

// LISTEN/NOTIFY needs real PostgreSQL sessions: PGlite's socket connections share one.
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

onPostgres('observability: two replicas on one PostgreSQL share the live feed (§7)', () => {
  const accountA = '0193f000-0000-7000-8000-0000000003a1';
  let db: { url: string; close(): Promise<void> };
  const buses: Awaited<ReturnType<typeof createPostgresLiveBus>>[] = [];
  const replicas: Awaited<ReturnType<typeof startObservability>>[] = [];

  beforeAll(async () => {
    db = await freshDatabase();
    for (let i = 0; i < 2; i++) {
      const bus = await createPostgresLiveBus({ url: db.url, log: testLogger() });
      buses.push(bus);
      replicas.push(await startObservability({ bus, databaseUrl: db.url }));
    }
  });
  afterAll(async () => {
    for (const r of replicas) await r.close();
    for (const b of buses) await b.close();
    await db?.close();
  });

  it('streams events ingested on one replica to a subscriber on the other, in order', async () => {
    const client = createClient({
      url: replicas[1].wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: async () => ({
        token: await signInternalToken(replicas[1].keys.privateKey, 'observability', principal({ accountId: accountA, roles: ['VIEWER'] })),
      }),
    });
    const seqs: number[] = [];
    client.subscribe(
      { query: 'subscription { events { seq } }' },
      { next: (r: any) => seqs.push(r.data.events.seq), error: () => undefined, complete: () => undefined },
    );
    for (const end = Date.now() + 5000; buses[1].subscriberCount(accountA) === 0 && Date.now() < end;)
      await new Promise((r) => setTimeout(r, 10));
    for (let i = 0; i < 3; i++) {
      const res = await replicas[0].ingest([makeEvent(accountA)]);
      expect(res.status).toBe(200);
    }
    const end = Date.now() + 5000;
    while (seqs.length < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(seqs).toEqual([1, 2, 3]);
    await client.dispose();
  });
});
