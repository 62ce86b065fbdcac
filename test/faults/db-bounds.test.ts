import { Client } from 'pg';
import { codeOf, ok, startTestStack, type TestStack } from '../support/stack';

// a second session holding a row lock needs a real PostgreSQL server (PGlite's sessions share one backend)
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

/**
 * A mutation that waits on a lock another session holds answers SERVICE_UNAVAILABLE (retryable) when the
 * subgraph's lock bound (3 s by default) is hit, well before the gateway's 10 s fetch timeout would answer
 * with UPSTREAM_ERROR; its transaction is rolled back, and the same write succeeds once the lock is gone.
 */
onPostgres('bounded database waits through the gateway (PostgreSQL)', () => {
  let s: TestStack;
  let superToken: string;
  let account: string;

  beforeAll(async () => {
    s = await startTestStack();
    superToken = await s.tokenFor('SUPER_ADMIN');
    account = ok(
      await s.gql(
        `mutation { createAccount(input: { name: "Locked Co", emailDomain: "locked.example", planTier: TEAM }) { id } }`,
        {},
        { token: superToken },
      ),
    ).createAccount.id;
  });
  afterAll(async () => {
    await s?.close();
  });

  const rename = (name: string) =>
    s.gql(
      `mutation($id: ID, $name: String) { updateAccount(id: $id, input: { name: $name }) { name } }`,
      { id: account, name },
      { token: superToken },
    );

  it('answers SERVICE_UNAVAILABLE after the lock bound, writes nothing, and serves again once the lock is released', async () => {
    const holder = new Client({ connectionString: s.databaseUrl });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select id from identity.account where id = $1 for update', [account]);
      const blocked = await rename('Renamed Co');
      expect(codeOf(blocked)).toBe('SERVICE_UNAVAILABLE');
      const error = blocked.body.errors![0];
      expect(error.extensions?.retryable).toBe(true);
      expect(error.message).toMatch(/retry/i);
      expect(error.message).not.toMatch(/select|update|identity\.|lock/i);
      await holder.query('rollback');
    } finally {
      await holder.end();
    }
    expect(ok(await s.gql(`{ account { name } }`, {}, { token: superToken, accountId: account })).account.name).toBe('Locked Co');
    expect(ok(await rename('Renamed Co')).updateAccount.name).toBe('Renamed Co');
  });
});
