import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, outboxTableSql, schemaGrantSql, tenantTableSql } from '@cockpit/kit';

/** CA1 catalog (global, no RLS) and CA2 per-account eligibility (tenant, RLS). */
export class Migration20261124000001 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "catalog"."model" (
      id uuid primary key,
      provider text not null,
      name text not null constraint model_name_key unique check (name ~ '^[a-z0-9][a-z0-9._-]{0,99}$'),
      display_name text not null,
      kind text not null check (kind in ('CHAT','EMBEDDING','IMAGE','AUDIO','VIDEO')),
      input_price_per_mtok numeric(30,10) not null check (input_price_per_mtok >= 0),
      output_price_per_mtok numeric(30,10) not null check (output_price_per_mtok >= 0),
      status text not null check (status in ('ACTIVE','DEPRECATED')),
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    // each filter walks its index in id order, which is also the keyset order of the list
    this.addSql(`create index model_provider_idx on "catalog"."model" (provider, id)`);
    this.addSql(`create index model_kind_idx on "catalog"."model" (kind, id)`);
    this.addSql(`create index model_status_idx on "catalog"."model" (status, id)`);
    // the catalog is platform-wide: no RLS, writes are guarded by RBAC (super admin only)
    this.addSql(`grant select, insert, update, delete on "catalog"."model" to ${APP_ROLE}`);

    this.addSql(`create table "catalog"."account_model_eligibility" (
      account_id uuid not null,
      model_id uuid not null references "catalog"."model" (id),
      created_at timestamptz not null,
      primary key (account_id, model_id)
    )`);
    this.addSql(`create index account_model_eligibility_model_idx on "catalog"."account_model_eligibility" (model_id)`);
    for (const s of [
      ...schemaGrantSql('catalog'),
      ...tenantTableSql('catalog', 'account_model_eligibility'),
      ...outboxTableSql('catalog'),
    ]) {
      this.addSql(s);
    }
  }
}
