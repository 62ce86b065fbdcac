import { MikroORM, type EntityManager, type EntitySchema, type Options } from '@mikro-orm/postgresql';
import { DEFAULT_DB_BOUNDS, DEFAULT_POOL_MAX, type DbBounds } from './config';
import { Migrator } from '@mikro-orm/migrations';
import { type Dictionary, type EntityName, type MigrationObject } from '@mikro-orm/core';
import { answerGenerationTriggerSql, assertAnswerGenerations } from './answer-generation';

/** The non-superuser role every request transaction runs as, so RLS applies. */
export const APP_ROLE = 'cockpit_app';

export interface OrmConfig {
  /** postgres:// URL of the database (PostgreSQL or the embedded PGlite socket). */
  url: string;
  /** The subgraph's own schema: `identity`, `budgets`, … */
  schema: string;
  entities: EntitySchema<any, any>[];
  migrations: MigrationObject[];
  poolMax?: number;
  /** Bounds of a request's wait on the database (ms); see `DbBounds`. */
  bounds?: Partial<DbBounds>;
  /** Called with every SQL statement the ORM sends (benchmarks count them). */
  onQuery?: (sql: string) => void;
}

/** The name of the ORM filter that confines tenant entities to the acting account. */
export const TENANT_FILTER = 'tenant';

/**
 * Defence in depth under RLS: every ORM query on an entity with an `accountId`
 * property gets `account_id = <acting account>`, the same condition as the
 * tenant policy, so a row of another account is not read even where RLS is off
 * (a superuser connection, a table whose policy was dropped). `inTenantTx` sets
 * the parameters; platform scope and queries outside a tenant transaction
 * (migrations, the outbox relay) get no condition. Raw SQL is not filtered: it
 * lives in repositories and names the account itself.
 */
const tenantFilter = {
  name: TENANT_FILTER,
  default: true,
  args: false,
  cond(args: Dictionary | undefined, _type: string, em: EntityManager, _options?: unknown, entityName?: EntityName<unknown>) {
    if (!args || args.platform || !entityName) return {};
    if (
      !em
        .getMetadata()
        .find(entityName)
        ?.props.some((p) => p.name === 'accountId')
    )
      return {};
    // no account and no platform: nothing, as the policy sees it
    return { accountId: args.accountId ? args.accountId : { $in: [] } };
  },
};

/** Each ORM's bounds, by its configuration object (shared by every fork of its EntityManager). */
const boundsOf = new WeakMap<object, DbBounds>();
const emBounds = (em: EntityManager): DbBounds => boundsOf.get(em.config) ?? DEFAULT_DB_BOUNDS;

export async function createOrm(cfg: OrmConfig): Promise<MikroORM> {
  const bounds = { ...DEFAULT_DB_BOUNDS, ...cfg.bounds };
  const options: Options = {
    clientUrl: cfg.url,
    schema: cfg.schema,
    entities: cfg.entities,
    filters: { [TENANT_FILTER]: tenantFilter },
    extensions: [Migrator],
    migrations: {
      tableName: 'mikro_orm_migrations',
      migrationsList: cfg.migrations,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    pool: { min: 0, max: cfg.poolMax ?? DEFAULT_POOL_MAX, acquireTimeoutMillis: bounds.acquireTimeoutMs },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    discovery: { warnWhenNoEntities: false },
    ...(cfg.onQuery
      ? { debug: ['query'], logger: (m: string) => cfg.onQuery!(m), highlighter: undefined, colors: false }
      : { debug: false }),
  };
  const orm = await MikroORM.init(options);
  boundsOf.set(orm.config, bounds);
  return orm;
}

/** Creates the schema and the app role if missing, then runs pending migrations. */
export async function migrate(orm: MikroORM, schema: string): Promise<string[]> {
  const conn = orm.em.getConnection();
  await conn.execute(`create schema if not exists "${schema}"`);
  await ensureAppRole(orm);
  const done = await orm.getMigrator().up();
  await assertTenancySafety(orm, schema);
  await assertAnswerGenerations(orm, schema);
  return done.map((m) => m.name);
}

/**
 * Start-up check: the app role is no superuser, cannot
 * bypass RLS and owns no table; every table with an account_id has RLS enabled
 * and forced. A deployment that breaks one of these refuses to start.
 */
export async function assertTenancySafety(orm: MikroORM, schema: string): Promise<void> {
  const conn = orm.em.getConnection();
  const [role] = await conn.execute(`select rolsuper, rolbypassrls from pg_roles where rolname = ?`, [APP_ROLE]);
  const problems: string[] = [];
  if (!role) problems.push(`role ${APP_ROLE} is missing`);
  else if (role.rolsuper || role.rolbypassrls) problems.push(`role ${APP_ROLE} must be NOSUPERUSER NOBYPASSRLS`);
  const owned = await conn.execute(`select tablename from pg_tables where schemaname = ? and tableowner = ?`, [schema, APP_ROLE]);
  for (const t of owned) problems.push(`${schema}.${t.tablename} is owned by ${APP_ROLE}`);
  const unprotected = await conn.execute(
    `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ? and c.relkind in ('r', 'p') and not (c.relrowsecurity and c.relforcerowsecurity)
        -- a write counter per account, not tenant data (answer-generation.ts)
        and c.relname <> 'answer_generation'
        and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'account_id' and not a.attisdropped)`,
    [schema],
  );
  for (const t of unprotected) problems.push(`${schema}.${t.relname} has account_id but no forced row-level security`);
  if (problems.length) throw new Error(`Unsafe database set-up:\n  - ${problems.join('\n  - ')}`);
}

async function ensureAppRole(orm: MikroORM) {
  // Several subgraphs migrate at once against one cluster; tolerate the race on the role.
  await orm.em.getConnection().execute(`
    do $$ begin
      if not exists (select 1 from pg_roles where rolname = '${APP_ROLE}') then
        create role ${APP_ROLE} login nosuperuser nobypassrls;
      end if;
    exception when duplicate_object or unique_violation then null;
    end $$`);
}

/** What a transaction may see: one account's rows, or (platform scope) every account's. */
export interface TenantScope {
  accountId: string | null;
  platform?: boolean;
}

/**
 * Runs `fn` in one transaction as the app role with the tenant settings made
 * transaction-local, so RLS confines every statement to the scope.
 */
export async function inTenantTx<T>(
  em: EntityManager,
  scope: TenantScope,
  fn: (em: EntityManager) => Promise<T>,
  /** Names the transaction's statements in the query log (`[query] (label) …`): the outbox relay's. */
  label?: string,
): Promise<T> {
  const loggerContext = label ? { label } : undefined;
  return em.transactional(
    async (tem) => {
      await tem.execute(tenantSettingsSql, tenantSettingsParams(scope, emBounds(em)), 'all', loggerContext);
      return fn(withTenantFilter(tem, scope));
    },
    { loggerContext },
  );
}

/**
 * The EntityManager for reads in `scope`, outside any transaction: every statement it sends goes to the
 * database in one round trip together with the scope's tenant settings, as one simple-protocol message
 * `select set_config(…); <statement>`. PostgreSQL runs the statements of one such message as one implicit
 * transaction, one after the other: the settings (transaction-local, as in `inTenantTx`) are in force,
 * and RLS confines the statement, from its first row on (the statement is not part of the settings'
 * plan), and they are gone when it ends — as is the role. The transaction is read-only: a statement
 * that would write fails. No `begin`, no `commit`, and the connection goes back to the pool after each
 * statement. The fork has the scope's tenant filter; its identity map lives as long as it does.
 *
 * The ORM sends every statement with its parameters inlined (`platform.formatQuery`, the driver's own
 * literal escaping), which is what makes one message of two statements possible; a statement with
 * separate bindings is refused rather than sent without the settings.
 */
export function tenantReader(em: EntityManager, scope: TenantScope): EntityManager {
  const knexClient = em.getConnection().getKnex().client as KnexClient;
  // `inTenantTx`'s settings statement, its parameters inlined as the ORM inlines them, and read-only
  const settings = `${em.getPlatform().formatQuery(readerSettingsSql, tenantSettingsParams(scope, emBounds(em)))}; `;
  // a "transaction" for knex's `transacting()`: the pool's client, whose queries carry the settings
  const client: KnexClient = Object.create(knexClient);
  client.transacting = true;
  client._query = (connection, obj) => {
    if (obj.bindings?.length)
      return Promise.reject(new Error('tenantReader: a statement with separate bindings cannot carry the tenant settings'));
    return new Promise((resolve, reject) => {
      connection.query(settings + obj.sql, (err: Error | null, res: unknown) => {
        if (err) return reject(err);
        // one result per statement: the settings' row, then the statement's
        obj.response = Array.isArray(res) ? res[res.length - 1] : res;
        resolve(obj);
      });
    });
  };
  // the fork of `em` itself, whatever transaction context (AsyncLocalStorage) the caller runs in
  const reader = withTenantFilter(em.fork({ disableContextResolution: true }), scope);
  reader.setTransactionContext({ client } as never);
  (reader as ReaderEm)[READER] = { settings, pool: knexClient };
  return reader;
}

const READER = Symbol('tenantReader');
type ReaderEm = EntityManager & { [READER]?: { settings: string; pool: KnexClient } };

/**
 * Raw SQL `sql` (`?` placeholders, inlined as the ORM inlines them) and its rows: `em.execute`, but
 * on a `tenantReader` without the ORM's and knex's per-statement machinery — the statement and its
 * tenant settings go straight to a pooled connection as one message. Logged, and its errors converted
 * (DriverException), as the ORM's own statements are. On any other EntityManager (a write's
 * transaction) it is `em.execute`.
 */
export async function readRows<R = Record<string, unknown>>(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<R[]> {
  const reader = (em as ReaderEm)[READER];
  if (!reader) return em.execute(sql, params as unknown[]);
  const formatted = params.length ? em.getPlatform().formatQuery(sql, params as unknown[]) : sql;
  // the ORM's protected logging and timing (`executeQuery`), so statement logs and counts stay as they were
  const connection = em.getConnection() as unknown as {
    executeQuery<T>(query: string, cb: () => Promise<T>, context?: unknown): Promise<T>;
    getSql(query: string, formatted: string, context?: unknown): string;
  };
  try {
    return await connection.executeQuery(connection.getSql(sql, formatted), async () => {
      const pg = (await reader.pool.acquireConnection()) as PgConnection;
      try {
        const res = await new Promise<PgResult | PgResult[]>((resolve, reject) =>
          pg.query(reader.settings + formatted, (err, r) => (err ? reject(err) : resolve(r as PgResult | PgResult[]))),
        );
        return (Array.isArray(res) ? res[res.length - 1] : res).rows as R[];
      } finally {
        await reader.pool.releaseConnection(pg);
      }
    });
  } catch (e) {
    throw em.getDriver().convertException(e as Error);
  }
}

interface PgConnection {
  query(sql: string, cb: (err: Error | null, res: unknown) => void): void;
}
interface PgResult {
  rows: unknown[];
}

/** The parts of knex's client `tenantReader` uses: its pool, and `_query` (one statement on a pooled connection), which it replaces. */
interface KnexClient {
  transacting: boolean;
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<unknown>;
  _query(
    connection: { query(sql: string, cb: (err: Error | null, res: unknown) => void): void },
    obj: { sql: string; bindings?: unknown[]; response?: unknown },
  ): Promise<unknown>;
}

// the request's statement and lock bounds ride in the same statement, transaction-local as the rest
const tenantSettingsSql = `select set_config('cockpit.account_id', ?, true), set_config('cockpit.platform', ?, true), set_config('role', '${APP_ROLE}', true), set_config('statement_timeout', ?, true), set_config('lock_timeout', ?, true)`;
const tenantSettingsParams = (scope: TenantScope, bounds: DbBounds) => [
  scope.accountId ?? '',
  scope.platform ? 'on' : '',
  `${bounds.statementTimeoutMs}ms`,
  `${bounds.lockTimeoutMs}ms`,
];
/** `tenantSettingsSql` for a `tenantReader`'s implicit transaction: the same settings, and read-only. */
const readerSettingsSql = `${tenantSettingsSql}, set_config('transaction_read_only', 'on', true)`;
const withTenantFilter = (em: EntityManager, scope: TenantScope) => {
  em.setFilterParams(TENANT_FILTER, { accountId: scope.accountId ?? null, platform: Boolean(scope.platform) });
  return em;
};

/**
 * Runs `fn` in one platform-scope transaction on a fresh fork of `orm`'s
 * EntityManager: for internal routes and CLIs, whose caller is a service, not a tenant.
 */
export function inPlatformTx<T>(orm: MikroORM, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  return inTenantTx(orm.em.fork() as EntityManager, { accountId: null, platform: true }, fn);
}

/**
 * SQL for a migration: RLS enabled and forced on a tenant table, with a WITH CHECK policy,
 * and (unless `answers` is false: rows no answer reads) the triggers that bump its accounts' answer generation.
 */
export function tenantTableSql(schema: string, table: string, accountColumn = 'account_id', answers = true): string[] {
  const t = `"${schema}"."${table}"`;
  const cond = `(${accountColumn} = nullif(current_setting('cockpit.account_id', true), '')::uuid or current_setting('cockpit.platform', true) = 'on')`;
  return [
    `alter table ${t} enable row level security`,
    `alter table ${t} force row level security`,
    `create policy tenant_isolation on ${t} using ${cond} with check ${cond}`,
    `grant select, insert, update, delete on ${t} to ${APP_ROLE}`,
    ...(answers ? answerGenerationTriggerSql(schema, table, accountColumn) : []),
  ];
}

/** SQL for a migration: the app role may use the schema. */
export function schemaGrantSql(schema: string): string[] {
  return [`grant usage on schema "${schema}" to ${APP_ROLE}`];
}
