import { Migration } from '@mikro-orm/migrations';
import { APP_ROLE, outboxTableSql, schemaGrantSql } from '@cockpit/kit';

const T = '"observability"."event"';
// the same tenant condition as kit's tenantTableSql
const TENANT = `(account_id = nullif(current_setting('cockpit.account_id', true), '')::uuid or current_setting('cockpit.platform', true) = 'on')`;

export class Migration20261124000001 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table ${T} (
      account_id uuid not null,
      seq bigint not null check (seq > 0),
      id uuid not null,
      type text not null,
      domain text not null check (domain in ('COPILOT','CONSOLE','PLATFORM')),
      source text not null,
      actor jsonb not null,
      subject_type text,
      subject_id text,
      payload jsonb not null,
      request_id text,
      occurred_at timestamptz not null,
      recorded_at timestamptz not null default now(),
      prev_hash text not null check (prev_hash ~ '^[0-9a-f]{64}$'),
      hash text not null check (hash ~ '^[0-9a-f]{64}$'),
      primary key (account_id, seq),
      -- global on purpose: an event id is recorded once, whichever account it names (ingest dedupes on it)
      constraint event_id_key unique (id)
    )`);
    this.addSql(`create index event_account_occurred_idx on ${T} (account_id, occurred_at)`);
    this.addSql(`create index event_account_type_idx on ${T} (account_id, type, seq)`);
    this.addSql(`create index event_account_subject_idx on ${T} (account_id, subject_id, seq)`);
    this.addSql(`create index event_account_actor_idx on ${T} (account_id, (actor->>'subject'), seq)`);
    for (const s of schemaGrantSql('observability')) this.addSql(s);
    // Audit integrity: RLS like every tenant table, but the app
    // role may only read and append; the chain is never updated or deleted in place.
    this.addSql(`alter table ${T} enable row level security`);
    this.addSql(`alter table ${T} force row level security`);
    this.addSql(`create policy tenant_isolation on ${T} using ${TENANT} with check ${TENANT}`);
    this.addSql(`revoke all on ${T} from ${APP_ROLE}`);
    this.addSql(`grant select, insert on ${T} to ${APP_ROLE}`);
    for (const s of outboxTableSql('observability')) this.addSql(s);
  }
}
