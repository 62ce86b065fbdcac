import { stripVTControlCharacters } from 'node:util';
import { defineEntity, p } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import { DriverException } from '@mikro-orm/core';
import {
  createOrm,
  freshDatabase,
  inPlatformTx,
  inTenantTx,
  migrate,
  schemaGrantSql,
  tableOf,
  readEntity,
  readRows,
  selectEntities,
  tenantReader,
  tenantTableSql,
  type TenantScope,
} from '../src';

class Unsafe extends Migration {
  override async up() {
    this.addSql(`create table "kt"."leaky" (id uuid primary key, account_id uuid not null)`);
  }
}
class Safe extends Migration {
  override async up() {
    this.addSql(`create table "kt2"."thing" (id uuid primary key, account_id uuid not null, name text not null)`);
    for (const s of [...schemaGrantSql('kt2'), ...tenantTableSql('kt2', 'thing')]) this.addSql(s);
  }
}

class Filtered extends Migration {
  override async up() {
    this.addSql(`create table "kt3"."thing" (id uuid primary key, account_id uuid not null)`);
    for (const s of [...schemaGrantSql('kt3'), ...tenantTableSql('kt3', 'thing')]) this.addSql(s);
  }
}
class Shared extends Migration {
  override async up() {
    this.addSql(`create table "kt4"."thing" (id uuid primary key, account_id uuid not null)`);
    for (const s of [...schemaGrantSql('kt4'), ...tenantTableSql('kt4', 'thing')]) this.addSql(s);
  }
}
class Typed extends Migration {
  override async up() {
    this.addSql(`create table "kt5"."typed" (id uuid primary key, account_id uuid not null, name varchar(255) not null, note text,
      at timestamptz not null, gone_at timestamptz, doc jsonb not null, amount numeric(20, 4) not null, seq bigint not null,
      tags text[] not null, on_ boolean not null, n int not null)`);
    for (const s of [...schemaGrantSql('kt5'), ...tenantTableSql('kt5', 'typed')]) this.addSql(s);
  }
}
const TypedRow = defineEntity({
  name: 'TypedRow',
  tableName: 'typed',
  properties: {
    id: p.uuid().primary(),
    accountId: p.uuid(),
    name: p.string(),
    note: p.text().nullable(),
    at: p.datetime(),
    goneAt: p.datetime().nullable(),
    doc: p.json<Record<string, unknown>>(),
    amount: p.decimal('string').precision(20).scale(4),
    seq: p.bigint('number'),
    tags: p.array(),
    on: p.boolean().fieldName('on_'),
    n: p.integer(),
  },
});
const Thing = defineEntity({ name: 'Thing', tableName: 'thing', properties: { id: p.uuid().primary(), accountId: p.uuid() } });

describe('database tenancy', () => {
  let db: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(() => db.close());

  it('refuses to start when a tenant table lacks forced row-level security', async () => {
    const orm = await createOrm({ url: db.url, schema: 'kt', entities: [], migrations: [{ name: 'Unsafe', class: Unsafe }] });
    try {
      await expect(migrate(orm, 'kt')).rejects.toThrow(/kt\.leaky has account_id but no forced row-level security/);
    } finally {
      await orm.close();
    }
  });

  it('confines each transaction to its account, with nothing visible when no account is set', async () => {
    const orm = await createOrm({ url: db.url, schema: 'kt2', entities: [], migrations: [{ name: 'Safe', class: Safe }] });
    try {
      await migrate(orm, 'kt2');
      const a = '0193f000-0000-7000-8000-00000000000a';
      const b = '0193f000-0000-7000-8000-00000000000b';
      for (const acct of [a, b]) {
        await inTenantTx(orm.em.fork(), { accountId: acct }, (em) =>
          em.execute(`insert into kt2.thing values (gen_random_uuid(), ?, 'x')`, [acct]),
        );
      }
      // no ORM filter here: raw SQL, so only RLS stands between the accounts
      const seen = await inTenantTx(orm.em.fork(), { accountId: a }, (em) => em.execute(`select account_id from kt2.thing`));
      expect(seen.map((r: any) => r.account_id)).toEqual([a]);
      expect(await inTenantTx(orm.em.fork(), { accountId: null }, (em) => em.execute(`select * from kt2.thing`))).toEqual([]);
      await expect(
        inTenantTx(orm.em.fork(), { accountId: a }, (em) =>
          em.execute(`insert into kt2.thing values (gen_random_uuid(), ?, 'forged')`, [b]),
        ),
      ).rejects.toThrow(/row-level security/);
      expect(
        await inTenantTx(orm.em.fork(), { accountId: null, platform: true }, (em) => em.execute(`select * from kt2.thing`)),
      ).toHaveLength(2);
    } finally {
      await orm.close();
    }
  });

  it('confines ORM queries to the acting account even with RLS off (the tenant filter)', async () => {
    const orm = await createOrm({ url: db.url, schema: 'kt3', entities: [Thing], migrations: [{ name: 'Filtered', class: Filtered }] });
    try {
      await migrate(orm, 'kt3');
      const a = '0193f000-0000-7000-8000-00000000000a';
      const b = '0193f000-0000-7000-8000-00000000000b';
      // owner-level SQL (the test connects as the superuser): two accounts' rows, then RLS switched off
      const owner = orm.em.getConnection();
      await owner.execute(
        `insert into kt3.thing values (gen_random_uuid(), '${a}'), (gen_random_uuid(), '${a}'), (gen_random_uuid(), '${b}')`,
      );
      await owner.execute(`alter table kt3.thing no force row level security`);
      await owner.execute(`alter table kt3.thing disable row level security`);
      const raw = await inTenantTx(orm.em.fork(), { accountId: a }, (em) => em.execute(`select account_id from kt3.thing`));
      expect(raw).toHaveLength(3); // RLS no longer stands between the accounts

      const found = await inTenantTx(orm.em.fork(), { accountId: a }, (em) => em.find(Thing, {}));
      expect(found.map((t) => t.accountId)).toEqual([a, a]);
      expect(await inTenantTx(orm.em.fork(), { accountId: a }, (em) => em.count(Thing, { accountId: b }))).toBe(0);
      expect(await inTenantTx(orm.em.fork(), { accountId: null }, (em) => em.find(Thing, {}))).toEqual([]);
      // another account's row cannot be changed through the ORM either
      expect(await inTenantTx(orm.em.fork(), { accountId: a }, (em) => em.nativeDelete(Thing, { accountId: b }))).toBe(0);
      expect(await inTenantTx(orm.em.fork(), { accountId: null, platform: true }, (em) => em.count(Thing, {}))).toBe(3);
      // a repository's raw SQL names the table from the entity's metadata, in the platform scope of inPlatformTx
      expect(tableOf(orm.em, Thing)).toBe('"kt3"."thing"');
      const [{ n }] = await inPlatformTx(orm, (em) => em.execute(`select count(*)::int as n from ${tableOf(em, Thing)}`));
      expect(n).toBe(3);
    } finally {
      await orm.close();
    }
  });

  it('sends each read in one round trip with its scope, confined by RLS and the filter, with scopes interleaved, read-only', async () => {
    const statements: string[] = [];
    const orm = await createOrm({
      url: db.url,
      schema: 'kt4',
      entities: [Thing],
      migrations: [{ name: 'Shared', class: Shared }],
      poolMax: 1, // every read below on the same connection, one after the other
      onQuery: (m) => statements.push(stripVTControlCharacters(m)), // without the log's colours
    });
    try {
      await migrate(orm, 'kt4');
      const a = '0193f000-0000-7000-8000-00000000000a';
      const b = '0193f000-0000-7000-8000-00000000000b';
      await orm.em
        .getConnection()
        .execute(`insert into kt4.thing values (gen_random_uuid(), '${a}'), (gen_random_uuid(), '${a}'), (gen_random_uuid(), '${b}')`);
      const A: TenantScope = { accountId: a };
      const B: TenantScope = { accountId: b };
      // raw SQL: only RLS (the settings sent with the statement) stands between the accounts
      const raw = (em: any) => em.execute(`select account_id from kt4.thing`).then((r: any[]) => r.map((x) => x.account_id).sort());
      const viaOrm = (em: any) => em.find(Thing, {}).then((r: any[]) => r.map((x) => x.accountId).sort());
      // the kit's own path for prebuilt SQL: straight to a pooled connection, logged like the ORM's statements
      const direct = (em: any) =>
        readRows<{ account_id: string }>(em, `select account_id from kt4.thing`).then((r) => r.map((x) => x.account_id).sort());
      // one request: reads of its own scope and of another (a super admin acting on the other account), all at once
      const request = async (own: TenantScope, other: TenantScope) => {
        const [mine, theirs, none, platform] = [own, other, { accountId: null }, { accountId: null, platform: true }].map((s) =>
          tenantReader(orm.em.fork(), s),
        );
        return Promise.all([
          raw(mine),
          raw(theirs),
          viaOrm(mine),
          viaOrm(theirs),
          direct(mine),
          direct(theirs),
          raw(none),
          direct(none),
          raw(platform),
          direct(platform),
        ]);
      };
      statements.length = 0;
      const runs = await Promise.all([request(A, B), request(B, A), request(A, B), request(B, A)]);
      const expected = (own: string, other: string) => {
        const rows = (x: string) => (x === a ? [a, a] : [b]);
        return [rows(own), rows(other), rows(own), rows(other), rows(own), rows(other), [], [], [a, a, b], [a, a, b]];
      };
      expect(runs).toEqual([expected(a, b), expected(b, a), expected(a, b), expected(b, a)]);
      // one statement (one round trip) per read: no transaction control, no separate settings statement
      expect(statements.filter((q) => /\[query\]/.test(q))).toHaveLength(40);
      expect(statements.filter((q) => /\] (begin|commit|select set_config)\b/.test(q))).toHaveLength(0);

      // the settings end with the statement: the (one) pooled connection is the superuser's again, without them
      const [after] = await orm.em
        .getConnection()
        .execute(`select current_user as u, coalesce(current_setting('cockpit.account_id', true), '') as acct`);
      expect(after).toEqual({ u: 'postgres', acct: '' });
      // an error ends the statement's transaction and nothing else; a later read runs with its own scope
      const r = tenantReader(orm.em.fork(), A);
      await expect(r.execute(`select 1 / 0`)).rejects.toBeInstanceOf(DriverException);
      await expect(readRows(r, `select 1 / 0`)).rejects.toBeInstanceOf(DriverException);
      expect(await raw(r)).toEqual([a, a]);
      expect(await direct(r)).toEqual([a, a]);
      // reads do not write
      await expect(r.execute(`insert into kt4.thing values (gen_random_uuid(), '${a}')`)).rejects.toThrow(/read-only transaction/);
      await expect(r.execute(`update kt4.thing set account_id = account_id`)).rejects.toThrow(/read-only transaction/);
      await expect(readRows(r, `delete from kt4.thing`)).rejects.toThrow(/read-only transaction/);
      // in a write's transaction readRows is the transaction's own statement
      expect(await inTenantTx(orm.em.fork(), B, direct)).toEqual([b]);
      expect(await inPlatformTx(orm, (em) => em.count(Thing, {}))).toBe(3);
    } finally {
      await orm.close();
    }
  });

  it('maps raw rows as the ORM hydrates them (readEntity, selectEntities), into plain objects', async () => {
    const orm = await createOrm({ url: db.url, schema: 'kt5', entities: [TypedRow], migrations: [{ name: 'Typed', class: Typed }] });
    try {
      await migrate(orm, 'kt5');
      const a = '0193f000-0000-7000-8000-00000000000a';
      await orm.em.getConnection().execute(
        `insert into kt5.typed values
          ('0193f000-0000-7000-8000-000000000001', '${a}', 'x', 'it''s', '2026-01-02T03:04:05.678Z', null, '{"k": [1, "two"], "n": null}', 12.5, 9007199254740991, '{a,b}', true, 7),
          ('0193f000-0000-7000-8000-000000000002', '${a}', 'y', null, '2026-12-31T23:59:59Z', '2027-01-01T00:00:00Z', '[]', 0, 1, '{}', false, -1)`,
      );
      const values = (e: any) => Object.fromEntries(Object.keys(orm.getMetadata().get('TypedRow').properties).map((k) => [k, e[k]]));
      const hydrated = await inTenantTx(orm.em.fork(), { accountId: a }, (em) => em.find(TypedRow, {}, { orderBy: { id: 'asc' } }));
      const raw = await tenantReader(orm.em.fork(), { accountId: a }).execute(`select * from kt5.typed order by id`);
      const mapped = raw.map((r: any) => readEntity(orm.em, TypedRow, r));
      expect(mapped.map(values)).toEqual(hydrated.map(values));
      expect(mapped[0]).toEqual(values(hydrated[0])); // nothing else on it
      expect(Object.getPrototypeOf(mapped[0])).toBe(Object.prototype);
      expect(mapped[0]).toMatchObject({
        seq: 9007199254740991,
        amount: '12.5000',
        tags: ['a', 'b'],
        on: true,
        doc: { k: [1, 'two'], n: null },
      });
      expect(mapped[1].goneAt).toEqual(new Date('2027-01-01T00:00:00Z'));
      const selected = await selectEntities(
        tenantReader(orm.em.fork(), { accountId: a }),
        TypedRow,
        `select * from kt5.typed where n > ?`,
        [0],
      );
      expect(selected.map(values)).toEqual([values(hydrated[0])]);
    } finally {
      await orm.close();
    }
  });
});
