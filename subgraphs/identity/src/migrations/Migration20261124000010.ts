import { Migration } from '@mikro-orm/migrations';

/**
 * Account lifecycle (ID1): soft deletion keeps the row (its audit chain and its
 * name stay), so `deleted_at` goes with the DELETED status and nothing else.
 */
export class Migration20261124000010 extends Migration {
  override async up(): Promise<void> {
    const sql = [
      `alter table "identity"."account" add column deleted_at timestamptz`,
      `alter table "identity"."account" add constraint account_deleted_ck check ((status = 'DELETED') = (deleted_at is not null))`,
      // `accounts(filter: { status })` pages by id within a status; the unfiltered list skips DELETED rows
      `create index account_status_idx on "identity"."account" (status, id)`,
      // Name search is `lower(name) like '%…%'`. A btree (account_name_uq is on lower(name)) can't
      // serve a contains-match and a trigram index needs pg_trgm, which PGlite lacks; the table
      // holds one row per tenant, so the status index narrowing plus a filter is enough.
    ];
    for (const s of sql) this.addSql(s);
  }
}
