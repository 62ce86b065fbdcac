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
  readSession,
  schemaGrantSql,
  tableOf,
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

  it('shares one read transaction per request, each read confined to its scope, with requests and scopes interleaved', async () => {
    const statements: string[] = [];
    const orm = await createOrm({
      url: db.url,
      schema: 'kt4',
      entities: [Thing],
      migrations: [{ name: 'Shared', class: Shared }],
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
      const raw = (em: any) => em.execute(`select account_id from kt4.thing`).then((r: any[]) => r.map((x) => x.account_id).sort());
      const viaOrm = (em: any) => em.find(Thing, {}).then((r: any[]) => r.map((x) => x.accountId).sort());
      // one request: batches of its own scope and of another (a super admin acting on the other account), queued together
      const request = async (own: TenantScope, other: TenantScope) => {
        const s = readSession(orm.em.fork());
        const seen = await Promise.all([
          s.read(own, raw),
          s.read(other, raw),
          s.read(own, viaOrm),
          s.read(other, viaOrm),
          s.read(own, raw),
          s.read({ accountId: null }, raw),
          s.read({ accountId: null, platform: true }, raw),
        ]);
        await s.end();
        return seen;
      };
      statements.length = 0;
      const runs = await Promise.all([request(A, B), request(B, A), request(A, B), request(B, A)]);
      const expected = (own: string, other: string) => {
        const rows = (x: string) => (x === a ? [a, a] : [b]);
        return [rows(own), rows(other), rows(own), rows(other), rows(own), [], [a, a, b]];
      };
      expect(runs).toEqual([expected(a, b), expected(b, a), expected(a, b), expected(b, a)]);
      // one transaction per request, not per read
      expect(statements.filter((q) => /\] begin\b/.test(q))).toHaveLength(4);
      expect(statements.filter((q) => /\] commit\b/.test(q))).toHaveLength(4);

      // a database error rolls the shared transaction back; the reads queued behind it run in a new one, still confined
      const s = readSession(orm.em.fork());
      const failing = s.read(A, (em) => em.execute(`select 1 / 0`));
      const after = s.read(B, raw);
      await expect(failing).rejects.toBeInstanceOf(DriverException);
      expect(await after).toEqual([b]);
      // a write commits the shared transaction first; reads after `end` run in their own transactions
      expect(await s.aside(() => inTenantTx(orm.em.fork(), A, raw))).toEqual([a, a]);
      await s.end();
      statements.length = 0;
      expect(await s.read(A, raw)).toEqual([a, a]);
      expect(statements.filter((q) => /\] (begin|commit)\b/.test(q))).toHaveLength(2);
    } finally {
      await orm.close();
    }
  });
});
