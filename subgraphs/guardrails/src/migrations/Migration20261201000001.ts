import { Migration } from '@mikro-orm/migrations';
import { answerGenerationTriggerSql } from '@cockpit/kit';

/** The tables of this schema and the column naming their account (null: rows of no account, counted for every account). */
const TABLES: [string, string | null][] = [['guardrail_preset', 'account_id']];

/** The exact answer cache's write generation: triggers on the tables created before tenantTableSql installed them. */
export class Migration20261201000001 extends Migration {
  override async up(): Promise<void> {
    for (const [table, column] of TABLES) for (const s of answerGenerationTriggerSql('guardrails', table, column)) this.addSql(s);
  }
}
