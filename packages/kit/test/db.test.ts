import { Migration } from '@mikro-orm/migrations';
import { createOrm, freshDatabase, inTenantTx, migrate, schemaGrantSql, tenantTableSql } from '../src';

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
});
