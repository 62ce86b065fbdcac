import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, answerGenerationTriggerSql } from '@cockpit/kit';

/**
 * CA1: providers become configured entities (the free `model.provider` string
 * becomes a reference, one provider per distinct string), models get a context
 * window, and prices keep their history (`model_price`, one row per price with
 * the instant it took effect; every existing model gets its current price valid
 * from its creation). Platform-wide tables: no RLS, super admins write them.
 */
export class Migration20261202000001 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "catalog"."provider" (
      id uuid primary key,
      name text not null constraint provider_name_key unique check (name ~ '^[a-z0-9][a-z0-9._-]{0,49}$'),
      kind text not null check (kind in ('OPENAI','ANTHROPIC','AZURE_OPENAI','GOOGLE','AWS_BEDROCK','OPENAI_COMPATIBLE')),
      base_url text,
      status text not null check (status in ('ACTIVE','DISABLED')),
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    // the list is keyset-ordered by name; filters walk these in that order
    this.addSql(`create index provider_kind_idx on "catalog"."provider" (kind, name)`);
    this.addSql(`create index provider_status_idx on "catalog"."provider" (status, name)`);
    this.addSql(`grant select, insert, update, delete on "catalog"."provider" to ${APP_ROLE}`);
    // the existing free strings become providers; kinds of well-known vendors are recognised, the rest are OpenAI-compatible
    this.addSql(`insert into "catalog"."provider" (id, name, kind, base_url, status, created_at, updated_at)
      select gen_random_uuid(), p.provider,
             case p.provider when 'openai' then 'OPENAI' when 'anthropic' then 'ANTHROPIC' when 'azure' then 'AZURE_OPENAI'
                             when 'azure-openai' then 'AZURE_OPENAI' when 'google' then 'GOOGLE' when 'bedrock' then 'AWS_BEDROCK'
                             when 'aws-bedrock' then 'AWS_BEDROCK' else 'OPENAI_COMPATIBLE' end,
             null, 'ACTIVE', p.first_at, p.first_at
        from (select provider, min(created_at) as first_at from "catalog"."model" group by provider) p`);
    this.addSql(`alter table "catalog"."model" add column provider_id uuid references "catalog"."provider" (id)`);
    this.addSql(`update "catalog"."model" m set provider_id = p.id from "catalog"."provider" p where p.name = m.provider`);
    this.addSql(`alter table "catalog"."model" alter column provider_id set not null`);
    this.addSql(`alter table "catalog"."model" drop column provider`); // drops model_provider_idx with it
    this.addSql(`create index model_provider_idx on "catalog"."model" (provider_id, id)`);
    this.addSql(`alter table "catalog"."model" add column context_window integer check (context_window > 0)`);

    this.addSql(`create table "catalog"."model_price" (
      model_id uuid not null references "catalog"."model" (id),
      valid_from timestamptz not null,
      input_price_per_mtok numeric(30,10) not null check (input_price_per_mtok >= 0),
      output_price_per_mtok numeric(30,10) not null check (output_price_per_mtok >= 0),
      primary key (model_id, valid_from)
    )`);
    this.addSql(`grant select, insert, update, delete on "catalog"."model_price" to ${APP_ROLE}`);
    this.addSql(`insert into "catalog"."model_price" (model_id, valid_from, input_price_per_mtok, output_price_per_mtok)
      select id, created_at, input_price_per_mtok, output_price_per_mtok from "catalog"."model"`);
    for (const table of ['provider', 'model_price']) for (const s of answerGenerationTriggerSql('catalog', table, null)) this.addSql(s);
  }
}
