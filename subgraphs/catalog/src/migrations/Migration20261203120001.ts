import { Migration } from '@mikro-orm/migrations';
import { tenantTableSql } from '@cockpit/kit';

/**
 * CA8 marketplace: an account's listings of its agent definitions and tool connections (name,
 * description, semantic version, DRAFT → PUBLISHED ⇄ UNPUBLISHED → ARCHIVED), granted to orgs, teams
 * and users through the shared `scope_grant` table (`resource_kind` MARKETPLACE_ITEM). Tenant table, RLS.
 */
export class Migration20261203120001 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "catalog"."marketplace_item" (
      id uuid primary key,
      account_id uuid not null,
      kind text not null check (kind in ('AGENT','CONNECTION')),
      resource_id uuid not null,
      name text not null check (length(name) between 1 and 100),
      description text not null default '' check (length(description) <= 2000),
      version text not null check (length(version) between 5 and 100),
      status text not null check (status in ('DRAFT','PUBLISHED','UNPUBLISHED','ARCHIVED')),
      published_at timestamptz,
      created_by text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      check (status <> 'PUBLISHED' or published_at is not null)
    )`);
    // an archived listing gives its name up
    this.addSql(
      `create unique index marketplace_item_name_key on "catalog"."marketplace_item" (account_id, lower(name)) where status <> 'ARCHIVED'`,
    );
    // the admin list is keyset-ordered by (lower(name), id), alone or filtered by status or kind
    this.addSql(`create index marketplace_item_order_idx on "catalog"."marketplace_item" (account_id, lower(name), id)`);
    this.addSql(`create index marketplace_item_status_idx on "catalog"."marketplace_item" (account_id, status, lower(name), id)`);
    this.addSql(`create index marketplace_item_kind_idx on "catalog"."marketplace_item" (account_id, kind, lower(name), id)`);
    // discovery: the published listings in that order (status_idx without a kind, this one with it)
    this.addSql(
      `create index marketplace_item_published_idx on "catalog"."marketplace_item" (account_id, kind, lower(name), id) where status = 'PUBLISHED'`,
    );
    // Search is a case-insensitive contains-match on name and description: no btree serves it and a trigram
    // index needs pg_trgm, which PGlite lacks; it filters the walk of the indexes above (one account's listings).
    for (const s of tenantTableSql('catalog', 'marketplace_item')) this.addSql(s);

    this.addSql(`alter table "catalog"."scope_grant" drop constraint scope_grant_resource_kind_check`);
    this.addSql(
      `alter table "catalog"."scope_grant" add constraint scope_grant_resource_kind_check check (resource_kind in ('AGENT','CONNECTION','MARKETPLACE_ITEM'))`,
    );
  }
}
