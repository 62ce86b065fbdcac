import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, answerGenerationTriggerSql, tenantTableSql } from '@cockpit/kit';

/**
 * CA4 Console (BYOK) governance, kept apart from the Copilot tables (whose queries stay as they
 * are): the super admin's console model policy per account and the account admins' console model
 * grants per CONSOLE scope. CA9 feature entitlements: the platform feature catalog (global, no
 * RLS), the feature pack per account and the entitlements per scope (tenant tables, RLS).
 */
export class Migration20261203000002 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "catalog"."console_model_policy" (
      account_id uuid not null,
      model_id uuid not null references "catalog"."model" (id),
      created_at timestamptz not null,
      primary key (account_id, model_id)
    )`);
    this.addSql(`create index console_model_policy_model_idx on "catalog"."console_model_policy" (model_id)`);
    this.addSql(`create table "catalog"."console_model_grant" (
      account_id uuid not null,
      scope_id uuid not null,
      scope_type text not null check (scope_type in ('ACCOUNT','ORG','TEAM','USER')),
      model_ids text[] not null,
      updated_at timestamptz not null,
      primary key (account_id, scope_id)
    )`);

    this.addSql(`create table "catalog"."feature" (
      key text primary key check (key ~ '^[a-z0-9][a-z0-9._-]{0,99}$'),
      name text not null check (length(name) between 1 and 200),
      description text not null default '' check (length(description) <= 2000),
      status text not null check (status in ('ACTIVE','DEPRECATED')),
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    // the list is keyset-ordered by key; the status filter walks this in that order
    this.addSql(`create index feature_status_idx on "catalog"."feature" (status, key)`);
    this.addSql(`grant select, insert, update, delete on "catalog"."feature" to ${APP_ROLE}`);
    for (const s of answerGenerationTriggerSql('catalog', 'feature', null)) this.addSql(s);
    this.addSql(`create table "catalog"."account_feature_pack" (
      account_id uuid not null,
      feature_key text not null references "catalog"."feature" (key),
      created_at timestamptz not null,
      primary key (account_id, feature_key)
    )`);
    this.addSql(`create index account_feature_pack_feature_idx on "catalog"."account_feature_pack" (feature_key)`);
    this.addSql(`create table "catalog"."feature_entitlement" (
      account_id uuid not null,
      scope_id uuid not null,
      scope_type text not null check (scope_type in ('ACCOUNT','ORG','TEAM','USER')),
      feature_key text not null references "catalog"."feature" (key),
      enabled boolean not null,
      updated_at timestamptz not null,
      primary key (account_id, scope_id, feature_key)
    )`);
    this.addSql(`create index feature_entitlement_feature_idx on "catalog"."feature_entitlement" (feature_key)`);
    for (const table of ['console_model_policy', 'console_model_grant', 'account_feature_pack', 'feature_entitlement'])
      for (const s of tenantTableSql('catalog', table)) this.addSql(s);
  }
}
