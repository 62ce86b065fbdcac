import { Migration } from '@mikro-orm/migrations';
import { outboxTraceparentSql } from '@cockpit/kit';

/** The writer's `traceparent` on each outbox row (null when tracing is off): delivery and ingest continue its trace. */
export class Migration20261203130001 extends Migration {
  override async up(): Promise<void> {
    for (const s of outboxTraceparentSql('budgets')) this.addSql(s);
  }
}
