import { Client } from 'pg';
import { generateInternalKeys, INTERNAL_TOKEN_HEADER, loadPrivateKey, principal, signInternalToken, uuidv7 } from '@cockpit/kit';
import { startService, type ServiceProcess } from '../support/processes';

const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

/**
 * SIGTERM drains a standalone subgraph (its own process, as deployed): a request in flight when the signal
 * arrives — here a read held behind a table lock — is answered whole, new connections are refused, and the
 * process exits 0. PostgreSQL only: the embedded database is one session, where a lock holds nobody back.
 */
onPostgres('SIGTERM drains a subgraph', () => {
  const gateway = generateInternalKeys();
  let child: ServiceProcess;
  let url: string;

  beforeAll(async () => {
    const own = generateInternalKeys();
    const catalog = generateInternalKeys();
    const env: NodeJS.ProcessEnv = {
      NODE_ENV: 'development',
      PORT: '0',
      LOG_LEVEL: 'info',
      DATABASE_URL: process.env.DATABASE_URL,
      COCKPIT_GATEWAY_PUBLIC_KEY: gateway.publicKeyPem,
      COCKPIT_SERVICE_KEY: own.privateKeyPem,
      COCKPIT_CATALOG_PUBLIC_KEY: catalog.publicKeyPem,
      COCKPIT_DRAIN_MS: '8000',
    };
    child = await startService('subgraphs/guardrails/src/main.ts', env);
    url = child.url;
  });
  afterAll(() => child?.kill());

  it('answers the in-flight request, refuses new connections, exits 0', async () => {
    const accountId = uuidv7();
    const token = await signInternalToken(
      loadPrivateKey(gateway.privateKeyPem),
      'guardrails',
      principal({ accountId, roles: ['ADMIN'], requestId: uuidv7() }),
    );
    const locker = new Client({ connectionString: process.env.DATABASE_URL });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table guardrails.guardrail_preset in access exclusive mode');
      const inFlight = fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [INTERNAL_TOKEN_HEADER]: token },
        body: JSON.stringify({ query: '{ guardrailPresets { totalCount } }' }),
      });
      // the read waits behind the lock
      const waiting = async () =>
        (
          await locker.query(
            // (a simple-protocol message of several statements shows its backend as idle, with its last query's text)
            `select count(*)::int as n from pg_locks l join pg_class c on c.oid = l.relation
              where not l.granted and c.relname = 'guardrail_preset' and l.pid <> pg_backend_pid()`,
          )
        ).rows[0].n as number;
      let answered = false;
      void inFlight.then(() => (answered = true));
      for (let i = 0; (await waiting()) === 0; i++) {
        if (answered || i > 250) throw new Error('the read did not wait behind the lock');
        await new Promise((r) => setTimeout(r, 20));
      }
      child.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      expect(child.child.exitCode).toBeNull(); // still draining
      await expect(fetch(url.replace('/graphql', '/healthz'))).rejects.toThrow(); // no new connections
      await locker.query('commit');

      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ data: { guardrailPresets: { totalCount: 0 } } });
      expect(await child.exited).toBe(0);
      expect(child.stderr()).not.toMatch(/"level":50/);
    } finally {
      await locker.end();
    }
  });
});
