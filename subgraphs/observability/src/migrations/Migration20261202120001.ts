import { Migration } from '@mikro-orm/migrations';
import { answerGenerationSql } from '@cockpit/kit';

/**
 * The answer generation bumped once per writing transaction, at its commit, in account order
 * (a commit trigger on answer_generation_pending) instead of by each statement: two transactions
 * writing the same accounts in different orders no longer deadlock on the generation rows.
 * Replaces the trigger function the tables' triggers call; the triggers stay.
 */
export class Migration20261202120001 extends Migration {
  override async up(): Promise<void> {
    for (const s of answerGenerationSql('observability')) this.addSql(s);
  }
}
