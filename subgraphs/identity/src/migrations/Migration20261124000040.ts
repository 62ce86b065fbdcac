import { Migration } from '@mikro-orm/migrations';

/**
 * API keys bound to a user (ID6): the user must exist, and a key goes with its
 * user — set null would silently turn a user's key into an account-wide ADMIN key.
 */
export class Migration20261124000040 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "identity"."api_key" add constraint api_key_user_fk
         foreign key (user_id) references "identity"."app_user" (id) on delete cascade`,
    );
    this.addSql(`create index api_key_user_idx on "identity"."api_key" (user_id) where user_id is not null`);
  }
}
