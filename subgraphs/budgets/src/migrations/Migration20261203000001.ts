import { Migration } from '@mikro-orm/migrations';
import { tenantTableSql } from '@cockpit/kit';

/**
 * BU7 and BU9 (README "Budgets and credits"):
 * - budget_cycle: one row per account and cycle that saw a write (its start, its end, the plan's cycle length then),
 *   so past cycles keep their window after the plan's cycle changes; written with `on conflict do nothing`, so
 *   replicas and repeats agree;
 * - budget_alert gains its id (UUIDv7: the list's key, newest first) and the bound and used credits at the crossing.
 *   Nothing wrote budget_alert before this step, so the new columns need no default.
 */
export class Migration20261203000001 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "budgets"."budget_cycle" (
      account_id uuid not null,
      cycle_start timestamptz not null,
      cycle_end timestamptz not null check (cycle_end > cycle_start),
      cycle text not null check (cycle in ('MONTHLY','QUARTERLY','YEARLY')),
      primary key (account_id, cycle_start)
    )`);
    this.addSql(`alter table "budgets"."budget_alert"
      add column id uuid not null,
      add column credit_limit numeric(21,4) not null check (credit_limit > 0),
      add column used numeric(34,14) not null check (used >= 0)`);
    // the alerts list: newest first (id), narrowed by level or by cycle
    this.addSql(`create unique index budget_alert_id_idx on "budgets"."budget_alert" (account_id, id)`);
    this.addSql(`create index budget_alert_level_idx on "budgets"."budget_alert" (account_id, scope_type, id)`);
    this.addSql(`create index budget_alert_cycle_idx on "budgets"."budget_alert" (account_id, cycle_start, id)`);
    for (const s of tenantTableSql('budgets', 'budget_cycle')) this.addSql(s);
  }
}
