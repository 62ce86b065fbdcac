import { Migration } from '@mikro-orm/migrations';
import { outboxTableSql, schemaGrantSql, tenantTableSql } from '@cockpit/kit';

export class Migration20261123000001 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "budgets"."budget_plan" (
      account_id uuid primary key,
      monthly_credits numeric(20,4) not null check (monthly_credits >= 0),
      overflow_limit numeric(20,4) not null check (overflow_limit >= 0),
      credit_factor numeric(12,6) not null check (credit_factor > 0),
      cycle text not null check (cycle in ('MONTHLY','QUARTERLY','YEARLY')),
      cycle_anchor timestamptz not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    for (const s of [...schemaGrantSql('budgets'), ...tenantTableSql('budgets', 'budget_plan'), ...outboxTableSql('budgets')])
      this.addSql(s);
  }
}
