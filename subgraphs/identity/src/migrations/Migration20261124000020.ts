import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, tenantTableSql } from '@cockpit/kit';

/** Runtime agents with their handshake challenges (ID9), and named service accounts (ID8). */
export class Migration20261124000020 extends Migration {
  override async up(): Promise<void> {
    const sql = [
      // public_key is the canonical (padded, standard) base64 of the raw 32-byte Ed25519 key.
      `create table "identity"."runtime_agent" (
        id uuid primary key,
        account_id uuid not null references "identity"."account" (id),
        hostname text not null check (char_length(hostname) between 1 and 253),
        agent_version text not null check (char_length(agent_version) between 1 and 64),
        platform text not null check (char_length(platform) between 1 and 64),
        public_key text not null check (public_key ~ '^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$'),
        status text not null check (status in ('ACTIVE','INACTIVE','REVOKED')),
        registered_at timestamptz not null,
        last_seen_at timestamptz,
        revoked_at timestamptz,
        check ((status = 'REVOKED') = (revoked_at is not null)),
        unique (account_id, id)
      )`,
      `create unique index runtime_agent_key_uq on "identity"."runtime_agent" (account_id, public_key)`,
      `create index runtime_agent_status_idx on "identity"."runtime_agent" (account_id, status, id)`,
      ...tenantTableSql('identity', 'runtime_agent'),

      // Single-use nonces: a handshake deletes its row; the composite key keeps a challenge in its agent's account.
      `create table "identity"."agent_challenge" (
        nonce text primary key,
        account_id uuid not null,
        agent_id uuid not null,
        created_at timestamptz not null,
        expires_at timestamptz not null,
        foreign key (account_id, agent_id) references "identity"."runtime_agent" (account_id, id) on delete cascade
      )`,
      `create index agent_challenge_agent_idx on "identity"."agent_challenge" (agent_id, created_at)`,
      `create index agent_challenge_account_idx on "identity"."agent_challenge" (account_id, agent_id)`,
      ...tenantTableSql('identity', 'agent_challenge'),

      // Platform-level, so no account_id and no RLS: only super admins reach it (authorized in the resolvers).
      `create table "identity"."service_account" (
        id uuid primary key,
        name text not null check (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        scopes text[] not null check (cardinality(scopes) > 0),
        created_at timestamptz not null,
        disabled_at timestamptz
      )`,
      `create unique index service_account_name_uq on "identity"."service_account" (name)`,
      `grant select, insert, update, delete on "identity"."service_account" to ${APP_ROLE}`,

      // A service account's key is a platform key: never bound to an account or a user.
      `alter table "identity"."api_key" add column service_account_id uuid references "identity"."service_account" (id)`,
      `alter table "identity"."api_key" add constraint api_key_service_account_platform_ck
         check (service_account_id is null or (account_id is null and user_id is null))`,
      `create index api_key_service_account_idx on "identity"."api_key" (service_account_id) where service_account_id is not null`,
    ];
    for (const s of sql) this.addSql(s);
  }
}
