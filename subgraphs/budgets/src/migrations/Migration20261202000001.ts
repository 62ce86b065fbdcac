import { Migration } from '@mikro-orm/migrations';
import { tenantTableSql } from '@cockpit/kit';

/**
 * The budgets data model for BU2–BU9 (README "Budgets and credits"):
 * - allocation: credits per org/team/user of the Copilot tree, standing for every cycle, with the
 *   directory place at the last write (org_id, team_id) and the BU3 override flag;
 * - usage_record: every spend, idempotent per account, exact numeric cost and credits, the chain it
 *   was attributed to and its cycle (BU8 reads it by day, org, team, user, model, domain);
 * - budget_balance: the running total of each bounded level per cycle — enforcement is one
 *   conditional UPDATE per level (BU6); past cycles keep their rows (BU7);
 * - budget_alert: one row per allocation, cycle and threshold crossed (BU9), so each alert is emitted once.
 */
export class Migration20261202000001 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "budgets"."allocation" (
      account_id uuid not null,
      domain text not null check (domain in ('COPILOT')),
      scope_type text not null check (scope_type in ('ORG','TEAM','USER')),
      scope_id uuid not null,
      amount numeric(20,4) not null check (amount >= 0),
      org_id uuid,
      team_id uuid,
      override boolean not null default false,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      primary key (account_id, domain, scope_type, scope_id),
      check (override = false or scope_type = 'USER'),
      check (scope_type <> 'ORG' or (org_id is null and team_id is null)),
      check (scope_type <> 'TEAM' or (org_id is not null and team_id is null))
    )`);
    // the nearest allocated ancestor is found through these
    this.addSql(`create index allocation_org_idx on "budgets"."allocation" (account_id, domain, org_id) where org_id is not null`);
    this.addSql(`create index allocation_team_idx on "budgets"."allocation" (account_id, domain, team_id) where team_id is not null`);

    this.addSql(`create table "budgets"."usage_record" (
      id uuid primary key,
      account_id uuid not null,
      idempotency_key text not null check (length(idempotency_key) between 1 and 200),
      domain text not null check (domain in ('COPILOT','CONSOLE')),
      model text not null check (length(model) between 1 and 200),
      input_tokens integer not null check (input_tokens >= 0),
      output_tokens integer not null check (output_tokens >= 0),
      cost numeric(20,8) not null check (cost >= 0),
      credit_factor numeric(12,6) not null check (credit_factor > 0),
      credits numeric(34,14) not null check (credits >= 0),
      user_id uuid,
      team_id uuid,
      org_id uuid,
      cycle_start timestamptz not null,
      recorded_by text not null,
      created_at timestamptz not null,
      unique (account_id, idempotency_key)
    )`);
    // used per level and cycle (a balance row created mid-cycle starts from these), breakdowns by range
    this.addSql(
      `create index usage_record_user_idx on "budgets"."usage_record" (account_id, cycle_start, user_id) where user_id is not null`,
    );
    this.addSql(
      `create index usage_record_team_idx on "budgets"."usage_record" (account_id, cycle_start, team_id) where team_id is not null`,
    );
    this.addSql(`create index usage_record_org_idx on "budgets"."usage_record" (account_id, cycle_start, org_id) where org_id is not null`);
    this.addSql(`create index usage_record_cycle_idx on "budgets"."usage_record" (account_id, domain, cycle_start)`);
    this.addSql(`create index usage_record_time_idx on "budgets"."usage_record" (account_id, created_at)`);

    this.addSql(`create table "budgets"."budget_balance" (
      account_id uuid not null,
      domain text not null check (domain in ('COPILOT')),
      cycle_start timestamptz not null,
      scope_type text not null check (scope_type in ('ACCOUNT','ORG','TEAM','USER')),
      scope_id uuid not null,
      credit_limit numeric(21,4) check (credit_limit >= 0), -- the account's: monthly credits + overflow, each numeric(20,4)
      used numeric(34,14) not null default 0 check (used >= 0),
      updated_at timestamptz not null,
      primary key (account_id, domain, cycle_start, scope_type, scope_id)
    )`);
    // a node's balances across cycles (history, BU7)
    this.addSql(`create index budget_balance_scope_idx on "budgets"."budget_balance" (account_id, scope_type, scope_id, cycle_start)`);

    this.addSql(`create table "budgets"."budget_alert" (
      account_id uuid not null,
      domain text not null check (domain in ('COPILOT')),
      cycle_start timestamptz not null,
      scope_type text not null check (scope_type in ('ACCOUNT','ORG','TEAM','USER')),
      scope_id uuid not null,
      threshold integer not null check (threshold between 1 and 100),
      emitted_at timestamptz not null,
      primary key (account_id, domain, cycle_start, scope_type, scope_id, threshold)
    )`);

    for (const table of ['allocation', 'usage_record', 'budget_balance', 'budget_alert'])
      for (const s of tenantTableSql('budgets', table)) this.addSql(s);
  }
}
