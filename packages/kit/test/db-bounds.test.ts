import { Migration } from '@mikro-orm/migrations';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { GraphQLError } from 'graphql';
import {
  createOrm,
  formatError,
  freshDatabase,
  inPlatformTx,
  inTenantTx,
  isDatabaseUnavailable,
  migrate,
  readRows,
  schemaGrantSql,
  tenantReader,
  tenantTableSql,
} from '../src';

class Bounded extends Migration {
  override async up() {
    this.addSql(`create table "kb"."thing" (id uuid primary key, account_id uuid not null, n int not null)`);
    for (const s of [...schemaGrantSql('kb'), ...tenantTableSql('kb', 'thing')]) this.addSql(s);
  }
}

/** The test's ORM on `url` with its `kb.thing` table migrated (closed again if the migration fails). */
async function migratedOrm(url: string, opts: Pick<Parameters<typeof createOrm>[0], 'poolMax' | 'bounds'> = {}) {
  const orm = await createOrm({ url, schema: 'kb', entities: [], migrations: [{ name: 'Bounded', class: Bounded }], ...opts });
  try {
    await migrate(orm, 'kb');
    return orm;
  } catch (err) {
    await orm.close(true);
    throw err;
  }
}

const onPostgres = Boolean(process.env.DATABASE_URL);
const account = '0193f000-0000-7000-8000-0000000000b1';
const row = '0193f000-0000-7000-8000-0000000000c1';

/** What a resolver's error becomes on the wire (the subgraph's formatError). */
const answered = (e: unknown) =>
  formatError(new GraphQLError('x', { originalError: e as Error }).toJSON(), new GraphQLError('x', { originalError: e as Error }));

describe('bounded waits on the database', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  it('a saturated pool answers SERVICE_UNAVAILABLE after the acquire timeout, and serves again once it is free', async () => {
    const orm = await migratedOrm(db.url, { poolMax: 1, bounds: { acquireTimeoutMs: 300 } });
    let release: (() => void) | undefined;
    try {
      const held = new Promise<void>((r) => (release = r));
      let holding!: () => void;
      const isHolding = new Promise<void>((r) => (holding = r));
      // the pool's only connection, held by a transaction that waits
      const holder = inPlatformTx(orm, async (em) => {
        await em.execute('select 1');
        holding();
        await held;
      });
      await isHolding;
      const reader = tenantReader(orm.em.fork(), { accountId: account });
      const err = await readRows(reader, 'select count(*)::int as n from kb.thing').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeDefined();
      expect(isDatabaseUnavailable(err)).toBe(true);
      const wire = answered(err);
      expect(wire.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true });
      expect(wire.message).toMatch(/retry/i);
      expect(wire.message).not.toMatch(/select|kb\.thing/i);
      release!();
      await holder;
      // the pressure gone, the same request is served
      const [{ n }] = await readRows<{ n: number }>(
        tenantReader(orm.em.fork(), { accountId: account }),
        'select count(*)::int as n from kb.thing',
      );
      expect(n).toBe(0);
    } finally {
      release?.();
      await orm.close();
    }
  });

  it('a database that goes down (refuses connections: stopped, wrong port) answers SERVICE_UNAVAILABLE at once, with no host or SQL', async () => {
    // the ORM reaches the database through a proxy; closing it leaves a port that refuses connections
    const target = new URL(db.url);
    const host = decodeURIComponent(target.hostname);
    const pgPort = Number(target.port || 5432);
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const upstream = connect(host.startsWith('/') ? { path: join(host, `.s.PGSQL.${pgPort}`) } : { port: pgPort, host });
      for (const sock of [client, upstream]) {
        sockets.add(sock);
        sock.on('error', () => {});
        sock.on('close', () => sockets.delete(sock));
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const port = (proxy.address() as { port: number }).port;
    const url = new URL(db.url);
    url.hostname = '127.0.0.1';
    url.port = String(port);
    const orm = await createOrm({ url: url.toString(), schema: 'kb', entities: [], migrations: [] });
    try {
      const closed = new Promise<void>((r) => proxy.close(() => r()));
      for (const sock of sockets) sock.destroy();
      await closed;
      const err = await readRows(tenantReader(orm.em.fork(), { accountId: account }), 'select count(*)::int as n from kb.thing').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeDefined();
      expect(isDatabaseUnavailable(err)).toBe(true);
      const wire = answered(err);
      expect(wire.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true });
      expect(wire.message).not.toMatch(/select|kb\.thing|127\.0\.0\.1|ECONNREFUSED|nowhere/i);
      expect(wire.message).not.toContain(String(port));
      // another service that refuses (a fetch's cause) is not the database
      const call = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
      expect(isDatabaseUnavailable(call)).toBe(false);
    } finally {
      await orm.close();
    }
  });

  (onPostgres ? it : it.skip)(
    'PostgreSQL: a session terminated mid-transaction (57P01) answers SERVICE_UNAVAILABLE, nothing half-written',
    async () => {
      const orm = await migratedOrm(db.url);
      const admin = new Client({ connectionString: db.url });
      await admin.connect();
      try {
        const err = await inTenantTx(orm.em.fork(), { accountId: account }, async (em) => {
          await em.execute(`insert into kb.thing values (gen_random_uuid(), '${account}', 7)`);
          const [{ pid }] = await em.execute(`select pg_backend_pid() as pid`);
          await admin.query('select pg_terminate_backend($1)', [pid]);
          await em.execute(`insert into kb.thing values (gen_random_uuid(), '${account}', 8)`);
        }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeDefined();
        expect(isDatabaseUnavailable(err)).toBe(true);
        const wire = answered(err);
        expect(wire.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true });
        expect(wire.message).not.toMatch(/insert|kb\.thing|terminat/i);
        const { rows } = await admin.query(`select count(*)::int as n from kb.thing where n in (7, 8)`);
        expect(rows[0].n).toBe(0);
        // the pool drops the dead connection: the next request is served
        await inTenantTx(orm.em.fork(), { accountId: account }, (em) => em.execute(`select 1`));
      } finally {
        await admin.end();
        await orm.close();
      }
    },
  );

  (onPostgres ? it : it.skip)(
    'PostgreSQL: a held row lock answers SERVICE_UNAVAILABLE after the lock timeout, nothing half-written; a slow statement after the statement timeout',
    async () => {
      const orm = await migratedOrm(db.url, { bounds: { lockTimeoutMs: 300, statementTimeoutMs: 600 } });
      const other = new Client({ connectionString: db.url });
      await other.connect();
      try {
        await orm.em.getConnection().execute(`insert into kb.thing values ('${row}', '${account}', 1)`);
        // another session holds the row
        await other.query('begin');
        await other.query(`select * from kb.thing where id = $1 for update`, [row]);
        const err = await inTenantTx(orm.em.fork(), { accountId: account }, async (em) => {
          await em.execute(`insert into kb.thing values (gen_random_uuid(), '${account}', 2)`);
          await em.execute(`update kb.thing set n = 3 where id = '${row}'`);
        }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isDatabaseUnavailable(err)).toBe(true);
        expect(answered(err).extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true });
        await other.query('rollback');
        // the transaction's first write went with it
        const rows = await orm.em.getConnection().execute(`select n from kb.thing order by n`);
        expect(rows.map((r: any) => r.n)).toEqual([1]);
        // the lock released, the same write goes through
        await inTenantTx(orm.em.fork(), { accountId: account }, (em) => em.execute(`update kb.thing set n = 3 where id = '${row}'`));
        // a statement that outlasts the statement timeout is cancelled (57014)
        const slow = await readRows(tenantReader(orm.em.fork(), { accountId: account }), 'select pg_sleep(5)').then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isDatabaseUnavailable(slow)).toBe(true);
        // migrations and other session-level work are not bounded by the request's settings
        const [{ st }] = await orm.em.getConnection().execute(`select current_setting('statement_timeout') as st`);
        expect(st).toBe('0');
      } finally {
        await other.end();
        await orm.close();
      }
    },
  );

  (onPostgres ? it : it.skip)('the bounds ride in the tenant settings statement: set in the transaction, gone after it', async () => {
    const orm = await migratedOrm(db.url, { poolMax: 1, bounds: { lockTimeoutMs: 1234, statementTimeoutMs: 4321 } });
    try {
      const inside = await inTenantTx(orm.em.fork(), { accountId: account }, (em) =>
        em.execute(`select current_setting('statement_timeout') as st, current_setting('lock_timeout') as lt`),
      );
      expect(inside[0]).toEqual({ st: '4321ms', lt: '1234ms' });
      const read = await readRows(
        tenantReader(orm.em.fork(), { accountId: account }),
        `select current_setting('statement_timeout') as st, current_setting('lock_timeout') as lt`,
      );
      expect(read[0]).toEqual({ st: '4321ms', lt: '1234ms' });
      const after = await orm.em.getConnection().execute(`select current_setting('statement_timeout') as st`);
      expect(after[0].st).toBe('0');
    } finally {
      await orm.close();
    }
  });
});
