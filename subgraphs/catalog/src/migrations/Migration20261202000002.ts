import { Migration } from '@mikro-orm/migrations';
import { tenantTableSql } from '@cockpit/kit';

/**
 * CA3 model grants (one row per scope with an explicit selection) and CA5
 * account-level aliases: tenant tables under RLS, with answer-generation triggers.
 */
export class Migration20261202000002 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "catalog"."model_grant" (
      account_id uuid not null,
      scope_id uuid not null,
      scope_type text not null check (scope_type in ('ACCOUNT','ORG','TEAM','USER')),
      model_ids text[] not null,
      updated_at timestamptz not null,
      primary key (account_id, scope_id)
    )`);
    this.addSql(`create table "catalog"."model_alias" (
      account_id uuid not null,
      alias text not null check (alias ~ '^[a-z0-9][a-z0-9._-]{0,99}$'),
      model_id uuid not null references "catalog"."model" (id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      primary key (account_id, alias)
    )`);
    // the aliases of one model (its effective entry, its eligibility withdrawn)
    this.addSql(`create index model_alias_model_idx on "catalog"."model_alias" (account_id, model_id)`);
    for (const table of ['model_grant', 'model_alias']) for (const s of tenantTableSql('catalog', table)) this.addSql(s);
  }
}
