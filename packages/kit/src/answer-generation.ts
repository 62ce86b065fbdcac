import type { MikroORM } from '@mikro-orm/postgresql';
import { APP_ROLE } from './db';
import { PLATFORM_ACCOUNT_ID } from './principal';

/**
 * The write generation of each account's answers, kept in the database and
 * bumped by triggers in the writing transaction itself, so every writer counts —
 * mutations, background flushes (ApiKeyUsage's lastUsedAt), relays, migrations —
 * without naming what it changed. The nil-uuid row (PLATFORM_ACCOUNT_ID) is the
 * generation of rows that belong to no account (the catalog's models, platform
 * keys): it counts for every account. The answer cache (answer-cache.ts) reads
 * the sum of both rows before executing an operation.
 */
export const ANSWER_GENERATION_TABLE = 'answer_generation';

/** Tables whose rows never appear in an answer: a write to them does not change what a query returns. */
export const GENERATION_EXEMPT_TABLES: Readonly<Record<string, string>> = {
  // the relay deletes delivered rows after every write: counting them would invalidate every answer twice per write
  outbox: 'outbox rows are never read by an answer',
  mikro_orm_migrations: 'migration bookkeeping',
  [ANSWER_GENERATION_TABLE]: 'the generation itself',
};

const TRIGGERS = ['answer_gen_ins', 'answer_gen_upd', 'answer_gen_del', 'answer_gen_trunc'] as const;

/**
 * SQL for a migration: the generation table and the trigger function of `schema`
 * (idempotent, so every migration that adds a table may include it). Not under
 * RLS: a generation is a counter, not tenant data; the app role bumps it from its
 * writes' triggers.
 */
export function answerGenerationSql(schema: string): string[] {
  const g = `"${schema}"."${ANSWER_GENERATION_TABLE}"`;
  // one insert per statement and account (transition tables), in account order so two writers lock alike
  const bump = (rows: string) =>
    `insert into ${g} as g (account_id, gen)
       select distinct coalesce(%1$I, '${PLATFORM_ACCOUNT_ID}'::uuid), 1 from ${rows} order by 1
       on conflict (account_id) do update set gen = g.gen + 1`;
  return [
    `create table if not exists ${g} (account_id uuid primary key, gen bigint not null)`,
    `grant select, insert, update on ${g} to ${APP_ROLE}`,
    `create or replace function "${schema}".bump_answer_generation() returns trigger language plpgsql as $fn$
      begin
        if tg_nargs = 0 or tg_op = 'TRUNCATE' then
          insert into ${g} as g (account_id, gen) values ('${PLATFORM_ACCOUNT_ID}', 1)
            on conflict (account_id) do update set gen = g.gen + 1;
        elsif tg_op = 'INSERT' then
          execute format($q$${bump('new_rows')}$q$, tg_argv[0]);
        elsif tg_op = 'DELETE' then
          execute format($q$${bump('old_rows')}$q$, tg_argv[0]);
        else
          execute format($q$${bump('(select %1$I from new_rows union select %1$I from old_rows) r')}$q$, tg_argv[0]);
        end if;
        return null;
      end $fn$`,
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
  const missing = await tablesWithoutGeneration(orm, schema);
  if (missing.length)
    throw new Error(
      `Unsafe database set-up:\n  - ${missing.map((t) => `${schema}.${t} has no answer-generation triggers (answerGenerationTriggerSql)`).join('\n  - ')}`,
    );
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
