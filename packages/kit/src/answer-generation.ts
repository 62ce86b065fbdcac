import type { MikroORM } from '@mikro-orm/postgresql';
import { APP_ROLE } from './db';
import { PLATFORM_ACCOUNT_ID } from './principal';

/**
 * The write generation of each account's answers, kept in the database and
 * bumped by triggers in the writing transaction itself, so every writer counts —
 * mutations, background flushes (ApiKeyUsage's lastUsedAt), relays, migrations —
 * without naming what it changed (at its commit, for all its accounts at once:
 * answerGenerationSql). The nil-uuid row (PLATFORM_ACCOUNT_ID) is the
 * generation of rows that belong to no account (the catalog's models, platform
 * keys): it counts for every account. The answer cache (answer-cache.ts) reads
 * the sum of both rows before executing an operation.
 */
export const ANSWER_GENERATION_TABLE = 'answer_generation';

/** Where a transaction's bumps wait for its commit: one row per writing transaction, deleted at its commit. */
export const ANSWER_GENERATION_PENDING_TABLE = 'answer_generation_pending';
/** The accounts a transaction wrote so far (a transaction-local setting: uuid[] as text). */
const PENDING_SETTING = 'cockpit.answer_generation_pending';

/** Tables whose rows never appear in an answer: a write to them does not change what a query returns. */
export const GENERATION_EXEMPT_TABLES: Readonly<Record<string, string>> = {
  // the relay deletes delivered rows after every write: counting them would invalidate every answer twice per write
  outbox: 'outbox rows are never read by an answer',
  [ANSWER_GENERATION_PENDING_TABLE]: 'the generation’s own bookkeeping: a writing transaction’s commit trigger',
  mikro_orm_migrations: 'migration bookkeeping',
  [ANSWER_GENERATION_TABLE]: 'the generation itself',
};

const TRIGGERS = ['answer_gen_ins', 'answer_gen_upd', 'answer_gen_del', 'answer_gen_trunc'] as const;

/**
 * SQL for a migration: the generation table and the trigger functions of `schema`
 * (idempotent, so every migration that adds a table may include it). Not under
 * RLS: a generation is a counter, not tenant data; the app role bumps it from its
 * writes' triggers.
 *
 * When the bump happens: at commit, once per transaction, for all the accounts it
 * wrote, in account order (one statement). A bump takes the generation rows'
 * locks until the commit; taken statement by statement, a transaction writing
 * account A then B and another writing B then A (or an account's row and a
 * catalog model: the nil row) would each hold what the other waits for, and
 * PostgreSQL would abort one (40P01) — and every writer of an account would wait
 * on the others for the whole of their transactions. So each write statement only
 * adds its accounts to the transaction's list (a transaction-local setting; no
 * lock) and, on the transaction's first write, inserts its row into
 * `answer_generation_pending`, whose deferred constraint trigger runs at commit:
 * it bumps the list's accounts in order in one statement, then deletes the row.
 * A savepoint rolled back takes its additions (setting and row) with it. A write
 * made while deferred triggers run (none in this schema) finds the list empty and
 * queues the commit trigger again, which PostgreSQL runs before committing too.
 */
export function answerGenerationSql(schema: string): string[] {
  const g = `"${schema}"."${ANSWER_GENERATION_TABLE}"`;
  const pending = `"${schema}"."${ANSWER_GENERATION_PENDING_TABLE}"`;
  // the statement's accounts (transition tables), as uuid[] (null: no row)
  const touched = (rows: string) => `select array_agg(distinct coalesce(%1$I, '${PLATFORM_ACCOUNT_ID}'::uuid)) from ${rows}`;
  return [
    `create table if not exists ${g} (account_id uuid primary key, gen bigint not null)`,
    `grant select, insert, update on ${g} to ${APP_ROLE}`,
    // unlogged: a row lives inside its transaction only, nothing in it survives a crash worth keeping
    `create unlogged table if not exists ${pending} (txid bigint primary key)`,
    `grant select, insert, delete on ${pending} to ${APP_ROLE}`,
    `create or replace function "${schema}".bump_answer_generation() returns trigger language plpgsql as $fn$
      declare
        pending uuid[] := nullif(current_setting('${PENDING_SETTING}', true), '')::uuid[];
        touched uuid[];
      begin
        if tg_nargs = 0 or tg_op = 'TRUNCATE' then
          touched := array['${PLATFORM_ACCOUNT_ID}'::uuid];
        elsif tg_op = 'INSERT' then
          execute format($q$${touched('new_rows')}$q$, tg_argv[0]) into touched;
        elsif tg_op = 'DELETE' then
          execute format($q$${touched('old_rows')}$q$, tg_argv[0]) into touched;
        else
          execute format($q$${touched('(select %1$I from new_rows union select %1$I from old_rows) r')}$q$, tg_argv[0]) into touched;
        end if;
        if touched is null then
          return null;
        end if;
        if pending is null then
          -- the transaction's first write: its commit trigger
          insert into ${pending} (txid) values (txid_current()) on conflict (txid) do nothing;
          pending := touched;
        else
          pending := array(select distinct a from unnest(pending || touched) a);
        end if;
        perform set_config('${PENDING_SETTING}', pending::text, true);
        return null;
      end $fn$`,
    `create or replace function "${schema}".commit_answer_generation() returns trigger language plpgsql as $fn$
      declare
        pending uuid[] := nullif(current_setting('${PENDING_SETTING}', true), '')::uuid[];
      begin
        perform set_config('${PENDING_SETTING}', '', true);
        delete from ${pending} where txid = new.txid;
        if pending is not null then
          -- every account of the transaction, in one order for all writers
          insert into ${g} as g (account_id, gen)
            select a, 1 from unnest(pending) a order by 1
            on conflict (account_id) do update set gen = g.gen + 1;
        end if;
        return null;
      end $fn$`,
    // constraint triggers have no `or replace`
    `do $$ begin
      if not exists (select 1 from pg_trigger where tgname = 'answer_gen_commit' and tgrelid = '${pending}'::regclass) then
        create constraint trigger answer_gen_commit after insert on ${pending}
          deferrable initially deferred for each row execute function "${schema}".commit_answer_generation();
      end if;
    end $$`,
  ];
}

/**
 * SQL for a migration: statement-level triggers on `table` that bump the
 * generation of the accounts its rows name in `accountColumn` (null: a table of
 * rows that belong to no account, which bumps the nil row, i.e. every account).
 */
export function answerGenerationTriggerSql(schema: string, table: string, accountColumn: string | null): string[] {
  const t = `"${schema}"."${table}"`;
  const fn = `"${schema}".bump_answer_generation(${accountColumn ? `'${accountColumn}'` : ''})`;
  const [ins, upd, del, trunc] = TRIGGERS;
  return [
    ...answerGenerationSql(schema),
    `create or replace trigger ${ins} after insert on ${t} referencing new table as new_rows for each statement execute function ${fn}`,
    `create or replace trigger ${upd} after update on ${t} referencing old table as old_rows new table as new_rows for each statement execute function ${fn}`,
    `create or replace trigger ${del} after delete on ${t} referencing old table as old_rows for each statement execute function ${fn}`,
    `create or replace trigger ${trunc} after truncate on ${t} for each statement execute function "${schema}".bump_answer_generation()`,
  ];
}

/** The tables of `schema` missing one of the generation triggers (exempt tables aside). */
export async function tablesWithoutGeneration(orm: MikroORM, schema: string): Promise<string[]> {
  const rows = await orm.em.getConnection().execute(
    `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ? and c.relkind in ('r', 'p') and not c.relispartition
        and (select count(distinct t.tgname) from pg_trigger t where t.tgrelid = c.oid and t.tgname in (${TRIGGERS.map(() => '?').join(', ')})) < ${TRIGGERS.length}
      order by 1`,
    [schema, ...TRIGGERS],
  );
  return rows.map((r) => r.relname as string).filter((t) => !(t in GENERATION_EXEMPT_TABLES));
}

/** Start-up check beside assertTenancySafety: a table no trigger watches would serve stale cached answers. */
export async function assertAnswerGenerations(orm: MikroORM, schema: string): Promise<void> {
  const problems = (await tablesWithoutGeneration(orm, schema)).map(
    (t) => `${schema}.${t} has no answer-generation triggers (answerGenerationTriggerSql)`,
  );
  // the statements' triggers only note their accounts: without the commit trigger nothing would be bumped
  const [commit] = await orm.em.getConnection().execute(
    `select count(*)::int as n from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ? and c.relname = ? and t.tgname = 'answer_gen_commit' and t.tgdeferrable and t.tginitdeferred`,
    [schema, ANSWER_GENERATION_PENDING_TABLE],
  );
  if (!commit?.n) problems.push(`${schema}.${ANSWER_GENERATION_PENDING_TABLE} has no deferred commit trigger (answerGenerationSql)`);
  if (problems.length) throw new Error(`Unsafe database set-up:\n  - ${problems.join('\n  - ')}`);
}

/**
 * The generation of `accountId`'s answers: the sum of its row and the nil row
 * (each only grows, so the sum changes whenever either does). One statement,
 * outside any transaction.
 */
export async function readGeneration(orm: MikroORM, schema: string, accountId: string): Promise<string> {
  const [row] = await orm.em
    .getConnection()
    .execute(`select coalesce(sum(gen), 0)::text as gen from "${schema}"."${ANSWER_GENERATION_TABLE}" where account_id in (?, ?)`, [
      accountId,
      PLATFORM_ACCOUNT_ID,
    ]);
  return String(row.gen);
}
