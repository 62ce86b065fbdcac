import { Migration } from '@mikro-orm/migrations';
import { tenantTableSql } from '@cockpit/kit';

/**
 * CA6 agent definitions, CA7 tool connections (secrets sealed with AES-256-GCM under a key-encryption
 * key from configuration; only the key id and the secret's field names are stored in clear) and the
 * org/team/user grants of both (one table, `resource_kind` telling them apart). Tenant tables, RLS.
 */
export class Migration20261203000001 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "catalog"."tool_connection" (
      id uuid primary key,
      account_id uuid not null,
      name text not null check (length(name) between 1 and 100),
      description text not null default '',
      type text not null check (type in ('OPENAPI','MCP','COMPOSIO')),
      config jsonb not null check (jsonb_typeof(config) = 'object'),
      secret_fields text[] not null default '{}',
      secret_ciphertext text,
      secret_dek text,
      secret_key_id text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      check ((secret_ciphertext is null) = (secret_key_id is null) and (secret_ciphertext is null) = (secret_dek is null))
    )`);
    this.addSql(`create unique index tool_connection_name_key on "catalog"."tool_connection" (account_id, lower(name))`);
    // rotation walks the secrets still sealed under another key
    this.addSql(
      `create index tool_connection_key_idx on "catalog"."tool_connection" (secret_key_id, account_id) where secret_key_id is not null`,
    );

    this.addSql(`create table "catalog"."agent_definition" (
      id uuid primary key,
      account_id uuid not null,
      name text not null check (length(name) between 1 and 100),
      description text not null default '',
      instructions text not null default '',
      default_model_id uuid not null references "catalog"."model" (id),
      connection_ids text[] not null default '{}',
      guardrail_preset_ids text[] not null check (cardinality(guardrail_preset_ids) >= 1),
      created_by text,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    this.addSql(`create unique index agent_definition_name_key on "catalog"."agent_definition" (account_id, lower(name))`);
    this.addSql(`create index agent_definition_model_idx on "catalog"."agent_definition" (default_model_id)`);

    this.addSql(`create table "catalog"."scope_grant" (
      account_id uuid not null,
      resource_kind text not null check (resource_kind in ('AGENT','CONNECTION')),
      resource_id uuid not null,
      scope_type text not null check (scope_type in ('ORG','TEAM','USER')),
      scope_id uuid not null,
      created_at timestamptz not null,
      primary key (account_id, resource_kind, resource_id, scope_id)
    )`);
    // what a user may use: the grants of their id, their teams' and orgs' ids, in one statement
    this.addSql(`create index scope_grant_scope_idx on "catalog"."scope_grant" (account_id, resource_kind, scope_id)`);
    for (const table of ['tool_connection', 'agent_definition', 'scope_grant'])
      for (const s of tenantTableSql('catalog', table)) this.addSql(s);
  }
}
