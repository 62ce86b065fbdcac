import { Migration } from '@mikro-orm/migrations';
import { answerGenerationTriggerSql } from '@cockpit/kit';

/** The tables of this schema and the column naming their account (null: rows of no account, counted for every account). */
const TABLES: [string, string | null][] = [
  ['account', 'id'],
  ['account_admin', 'account_id'],
  ['org', 'account_id'],
  ['team', 'account_id'],
  ['app_user', 'account_id'],
  ['team_member', 'account_id'],
  ['api_key', 'account_id'],
  ['runtime_agent', 'account_id'],
  ['agent_challenge', 'account_id'],
  ['service_account', null],
  ['sso_settings', 'account_id'],
];

/** The exact answer cache's write generation: triggers on the tables created before tenantTableSql installed them. */
export class Migration20261201000001 extends Migration {
  override async up(): Promise<void> {
    for (const [table, column] of TABLES) for (const s of answerGenerationTriggerSql('identity', table, column)) this.addSql(s);
  }
}
