import { Migration } from '@mikro-orm/migrations';
import { outboxTableSql, schemaGrantSql, tenantTableSql } from '@cockpit/kit';

/** GP1 guardrail presets: tenant table with soft delete and a per-account, case-insensitive name. */
export class Migration20261124000001 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "guardrails"."guardrail_preset" (
      id uuid primary key,
      account_id uuid not null,
      name text not null check (length(name) between 1 and 100),
      description text not null default '',
      config jsonb not null check (jsonb_typeof(config) = 'object'),
      severity text not null check (severity in ('LOW','MEDIUM','HIGH','CRITICAL')),
      version int not null check (version >= 1),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      deleted_at timestamptz
    )`);
    // a deleted preset frees its name; live ones are unique per account whatever the case
    this.addSql(
      `create unique index guardrail_preset_name_key on "guardrails"."guardrail_preset" (account_id, lower(name)) where deleted_at is null`,
    );
    // the list's keyset order, unfiltered and filtered by severity
    this.addSql(`create index guardrail_preset_account_idx on "guardrails"."guardrail_preset" (account_id, id) where deleted_at is null`);
    this.addSql(
      `create index guardrail_preset_severity_idx on "guardrails"."guardrail_preset" (account_id, severity, id) where deleted_at is null`,
    );
    for (const s of [
      ...schemaGrantSql('guardrails'),
      ...tenantTableSql('guardrails', 'guardrail_preset'),
      ...outboxTableSql('guardrails'),
    ]) {
      this.addSql(s);
    }
  }
}
