import { Migration } from '@mikro-orm/migrations';
import { tenantTableSql } from '@cockpit/kit';

/** Per-account SSO settings (ID5): the account's own OpenID provider and how to read its tokens. */
export class Migration20261124000030 extends Migration {
  override async up(): Promise<void> {
    const sql = [
      `create table "identity"."sso_settings" (
        account_id uuid primary key references "identity"."account" (id),
        provider text not null check (provider in ('zitadel','keycloak','auth0','generic')),
        issuer text not null check (char_length(issuer) between 1 and 2048),
        client_id text not null check (char_length(client_id) between 1 and 512),
        audience text check (char_length(audience) between 1 and 512),
        roles_claim text not null check (char_length(roles_claim) between 1 and 256),
        account_id_claim text check (char_length(account_id_claim) between 1 and 256),
        super_admin_roles text[] not null default '{}',
        enabled boolean not null,
        updated_at timestamptz not null
      )`,
      // A global index on purpose (not per account): the gateway maps a token's iss to exactly one
      // account, so two accounts must never both trust one issuer. Only super admins write here.
      `create unique index sso_settings_issuer_uq on "identity"."sso_settings" (issuer) where enabled`,
      ...tenantTableSql('identity', 'sso_settings'),
    ];
    for (const s of sql) this.addSql(s);
  }
}
