import { Migration } from '@mikro-orm/migrations';
import { outboxTableSql, schemaGrantSql, tenantTableSql } from '@cockpit/kit';

const DOMAIN = `check (domain in ('COPILOT','CONSOLE'))`;

/** Accounts, account admins, the two directory trees and API keys (ID1, ID2, ID3, ID6). */
export class Migration20261123100001 extends Migration {
  override async up(): Promise<void> {
    const sql = [
      // The tenant root: its own id is the tenant column, so RLS compares `id`.
      `create table "identity"."account" (
        id uuid primary key,
        name text not null check (char_length(name) between 1 and 100),
        email_domain text not null,
        plan_tier text not null check (plan_tier in ('FREE','TEAM','ENTERPRISE')),
        status text not null check (status in ('ACTIVE','SUSPENDED','DELETED')),
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`,
      // Account names are unique platform-wide (case-insensitively), hence no account_id here.
      `create unique index account_name_uq on "identity"."account" (lower(name))`,
      ...tenantTableSql('identity', 'account', 'id'),

      `create table "identity"."account_admin" (
        id uuid primary key,
        account_id uuid not null references "identity"."account" (id),
        email text not null,
        role text not null check (role in ('OWNER','ADMIN','OPERATOR','VIEWER')),
        created_at timestamptz not null
      )`,
      `create unique index account_admin_email_uq on "identity"."account_admin" (account_id, lower(email))`,
      ...tenantTableSql('identity', 'account_admin'),

      // (account_id, id, domain) is unique so children can reference it and inherit the domain.
      `create table "identity"."org" (
        id uuid primary key,
        account_id uuid not null references "identity"."account" (id),
        name text not null,
        domain text not null ${DOMAIN},
        created_at timestamptz not null,
        unique (account_id, id, domain)
      )`,
      `create unique index org_name_uq on "identity"."org" (account_id, domain, lower(name))`,
      `create index org_account_idx on "identity"."org" (account_id, id)`,
      ...tenantTableSql('identity', 'org'),

      `create table "identity"."team" (
        id uuid primary key,
        account_id uuid not null,
        org_id uuid not null,
        domain text not null ${DOMAIN},
        name text not null,
        created_at timestamptz not null,
        unique (account_id, id, domain),
        foreign key (account_id, org_id, domain) references "identity"."org" (account_id, id, domain)
      )`,
      `create unique index team_name_uq on "identity"."team" (account_id, org_id, lower(name))`,
      `create index team_org_idx on "identity"."team" (org_id, id)`,
      ...tenantTableSql('identity', 'team'),

      `create table "identity"."app_user" (
        id uuid primary key,
        account_id uuid not null references "identity"."account" (id),
        email text not null,
        display_name text not null,
        domain text not null ${DOMAIN},
        status text not null check (status in ('ACTIVE','DEACTIVATED')),
        created_at timestamptz not null,
        unique (account_id, id, domain)
      )`,
      `create unique index app_user_email_uq on "identity"."app_user" (account_id, domain, lower(email))`,
      ...tenantTableSql('identity', 'app_user'),

      // The composite foreign keys make a cross-domain membership impossible even if a check is missed.
      `create table "identity"."team_member" (
        account_id uuid not null,
        team_id uuid not null,
        user_id uuid not null,
        domain text not null ${DOMAIN},
        created_at timestamptz not null,
        primary key (account_id, team_id, user_id),
        foreign key (account_id, team_id, domain) references "identity"."team" (account_id, id, domain) on delete cascade,
        foreign key (account_id, user_id, domain) references "identity"."app_user" (account_id, id, domain) on delete cascade
      )`,
      `create index team_member_team_idx on "identity"."team_member" (team_id, user_id)`,
      `create index team_member_user_idx on "identity"."team_member" (user_id)`,
      ...tenantTableSql('identity', 'team_member'),

      // account_id null = a platform key: the RLS policy then shows it in platform scope only.
      `create table "identity"."api_key" (
        id uuid primary key,
        account_id uuid references "identity"."account" (id),
        user_id uuid,
        name text not null check (char_length(name) between 1 and 100),
        tier text not null check (tier in ('ADMIN','CLIENT')),
        scopes text[] not null default '{}',
        model_allowlist text[] not null default '{}',
        prefix text not null,
        hash text not null check (hash ~ '^[0-9a-f]{64}$'),
        created_at timestamptz not null,
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz
      )`,
      `create unique index api_key_hash_uq on "identity"."api_key" (hash)`,
      `create index api_key_account_idx on "identity"."api_key" (account_id, id)`,
      `create index api_key_live_platform_admin_idx on "identity"."api_key" (id) where account_id is null and tier = 'ADMIN' and revoked_at is null`,
      ...tenantTableSql('identity', 'api_key'),

      ...schemaGrantSql('identity'),
      ...outboxTableSql('identity'),
    ];
    for (const s of sql) this.addSql(s);
  }
}
