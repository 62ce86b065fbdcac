import { Migration } from '@mikro-orm/migrations';

/**
 * BU5 and BU8 on usage_record:
 * - the catalog price a cost was computed from, when the caller gave none (model id, input and output price per
 *   1M tokens, the instant that price took effect): a past cost stays explainable after the price changes;
 * - the cost breakdown's filters by user, team and org over a time range (the range alone is served by
 *   usage_record_time_idx (account_id, created_at)).
 */
export class Migration20261203000002 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "budgets"."usage_record"
      add column price_model_id uuid,
      add column price_input_per_mtok numeric(30,10) check (price_input_per_mtok >= 0),
      add column price_output_per_mtok numeric(30,10) check (price_output_per_mtok >= 0),
      add column price_valid_from timestamptz,
      add constraint usage_record_price_whole check (
        (price_model_id is null and price_input_per_mtok is null and price_output_per_mtok is null and price_valid_from is null) or
        (price_model_id is not null and price_input_per_mtok is not null and price_output_per_mtok is not null and price_valid_from is not null))`);
    for (const scope of ['user', 'team', 'org'])
      this.addSql(
        `create index usage_record_${scope}_time_idx on "budgets"."usage_record" (account_id, ${scope}_id, created_at) where ${scope}_id is not null`,
      );
  }
}
