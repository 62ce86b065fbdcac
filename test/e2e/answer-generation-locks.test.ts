import { Client } from 'pg';
import { ANSWER_GENERATION_PENDING_TABLE, answerGenerationTriggerSql, freshDatabase, PLATFORM_ACCOUNT_ID } from '@cockpit/kit';

/**
 * The answer cache's write generation (kit answer-generation.ts) is bumped once
 * per writing transaction, at its commit, for all the accounts it wrote, in one
 * order: so two transactions writing accounts A then B and B then A never
 * deadlock on the generation rows (40P01), which they did while each statement
 * bumped (and locked) its accounts' rows as it ran. The kit's own trigger SQL on
 * the test's database; the concurrent part needs real PostgreSQL sessions
 * (DATABASE_URL), the rest runs on PGlite as well.
 */
const SCHEMA = 'answer_gen_locks';
const A = '00000000-0000-7000-8000-00000000000a';
const B = '00000000-0000-7000-8000-00000000000b';
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

describe('answer generation: one bump per transaction, at commit, in account order', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  const clients: Client[] = [];
  const connect = async () => {
    const c = new Client({ connectionString: db.url });
    await c.connect();
    clients.push(c);
    return c;
  };
  let owner: Client;
  const gen = async (account: string) =>
    Number((await owner.query(`select gen from ${SCHEMA}.answer_generation where account_id = $1`, [account])).rows[0]?.gen ?? 0);
  const gens = async () => ({ a: await gen(A), b: await gen(B), nil: await gen(PLATFORM_ACCOUNT_ID) });
  const item = (account: string) => `insert into ${SCHEMA}.item (account_id) values ('${account}')`;
  const MODEL = `insert into ${SCHEMA}.model (name) values ('m')`;

  beforeAll(async () => {
    db = await freshDatabase();
    owner = await connect();
    await owner.query(`do $$ begin
      if not exists (select 1 from pg_roles where rolname = 'cockpit_app') then create role cockpit_app login nosuperuser nobypassrls; end if;
      exception when duplicate_object or unique_violation then null; end $$`);
    await owner.query(`create schema ${SCHEMA}`);
    await owner.query(`create table ${SCHEMA}.item (id serial primary key, account_id uuid not null, n int not null default 0)`);
    await owner.query(`create table ${SCHEMA}.model (id serial primary key, name text not null)`);
    for (const s of [...answerGenerationTriggerSql(SCHEMA, 'item', 'account_id'), ...answerGenerationTriggerSql(SCHEMA, 'model', null)])
      await owner.query(s);
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => {});
    await db?.close();
  });

  it('bumps each account a transaction wrote once, when it commits, however many statements wrote it', async () => {
    const before = await gens();
    await owner.query('begin');
    for (const s of [item(A), item(B), item(A), `update ${SCHEMA}.item set n = n + 1 where account_id in ('${A}', '${B}')`])
      await owner.query(s);
    // nothing bumped (nor locked) yet: the transaction's accounts wait for its commit
    expect(await gens()).toEqual(before);
    await owner.query('commit');
    expect(await gens()).toEqual({ a: before.a + 1, b: before.b + 1, nil: before.nil });
    expect((await owner.query(`select count(*)::int as n from ${SCHEMA}.${ANSWER_GENERATION_PENDING_TABLE}`)).rows[0].n).toBe(0);
  });

  it('a row of no account bumps the nil row; a statement that changes no row, a rollback or a rolled-back savepoint bump nothing', async () => {
    const before = await gens();
    await owner.query(MODEL);
    expect(await gens()).toEqual({ ...before, nil: before.nil + 1 });
    await owner.query(`update ${SCHEMA}.item set n = 0 where false`);
    await owner.query('begin');
    await owner.query(item(A));
    await owner.query('rollback');
    await owner.query('begin');
    await owner.query(item(B));
    await owner.query('savepoint s');
    await owner.query(item(A));
    await owner.query('rollback to savepoint s');
    await owner.query('commit');
    expect(await gens()).toEqual({ ...before, b: before.b + 1, nil: before.nil + 1 });
  });

  onPostgres('concurrent writers (real PostgreSQL sessions)', () => {
    const ROUNDS = 30;

    /** Two transactions: each makes its first write, both hold it, then each makes its second and commits. */
    async function crossed(c1: Client, c2: Client, first: [string, string], second: [string, string]) {
      await Promise.all([c1.query('begin'), c2.query('begin')]);
      await Promise.all([c1.query(first[0]), c2.query(first[1])]);
      const run = async (c: Client, sql: string) => {
        try {
          await c.query(sql);
          await c.query('commit');
          return null;
        } catch (e) {
          await c.query('rollback');
          return (e as { code?: string }).code ?? String(e);
        }
      };
      return Promise.all([run(c1, second[0]), run(c2, second[1])]);
    }

    it(`writing A then B and B then A at once, ${ROUNDS} times, never deadlocks and counts every commit`, async () => {
      const [c1, c2] = [await connect(), await connect()];
      const before = await gens();
      const failures: unknown[] = [];
      for (let i = 0; i < ROUNDS; i++) failures.push(...(await crossed(c1, c2, [item(A), item(B)], [item(B), item(A)])).filter(Boolean));
      // each transaction held the other's second account's generation row before: one of each pair died with 40P01
      expect(failures).toEqual([]);
      expect(await gens()).toEqual({ a: before.a + 2 * ROUNDS, b: before.b + 2 * ROUNDS, nil: before.nil });
    }, 120_000);

    it(`an account's row and a row of no account (the nil generation) in either order, ${ROUNDS} times, never deadlock`, async () => {
      const [c1, c2] = [await connect(), await connect()];
      const before = await gens();
      const failures: unknown[] = [];
      for (let i = 0; i < ROUNDS; i++) failures.push(...(await crossed(c1, c2, [MODEL, item(A)], [item(A), MODEL])).filter(Boolean));
      expect(failures).toEqual([]);
      expect(await gens()).toEqual({ a: before.a + 2 * ROUNDS, b: before.b, nil: before.nil + 2 * ROUNDS });
    }, 120_000);

    it('a reader sees the data and its bump together: never the new row under the old generation', async () => {
      const [writer, reader] = [await connect(), await connect()];
      for (let i = 0; i < ROUNDS; i++) {
        const g = await gen(A);
        const rows = Number((await reader.query(`select count(*) from ${SCHEMA}.item where account_id = $1`, [A])).rows[0].count);
        await writer.query('begin');
        await writer.query(item(A));
        const commit = writer.query('commit');
        // one statement, one snapshot, taken while the commit runs: if it has the row, it has the bump
        const seen = (
          await reader.query(
            `select (select count(*) from ${SCHEMA}.item where account_id = $1)::int as rows,
                    (select gen from ${SCHEMA}.answer_generation where account_id = $1)::int as gen`,
            [A],
          )
        ).rows[0];
        await commit;
        expect(seen.rows > rows ? seen.gen > g : seen.gen === g).toBe(true);
        expect(await gen(A)).toBe(g + 1);
      }
    }, 120_000);
  });
});
