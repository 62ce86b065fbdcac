import { MikroORM, type EntityManager, type EntitySchema, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { DriverException, type Dictionary, type EntityName, type MigrationObject } from '@mikro-orm/core';
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

export async function createOrm(cfg: OrmConfig): Promise<MikroORM> {
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
    pool: { min: 0, max: cfg.poolMax ?? 8 },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    discovery: { warnWhenNoEntities: false },
    ...(cfg.onQuery
      ? { debug: ['query'], logger: (m: string) => cfg.onQuery!(m), highlighter: undefined, colors: false }
      : { debug: false }),
  };
  return MikroORM.init(options);
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
      await tem.execute(tenantSettingsSql, tenantSettingsParams(scope), 'all', loggerContext);
      return fn(withTenantFilter(tem, scope));
    },
    { loggerContext },
  );
}

/**
 * One request's reads in one tenant transaction: opened on the first read,
 * committed by `end` (the kit's server calls it when the request's response is
 * done). The reads take turns on the transaction's one connection (pg runs one
 * query at a time on a client anyway); before a read of another scope than the
 * last one, the transaction's RLS settings are switched, and each scope has its
 * own fork of the EntityManager with the tenant filter set for it, so every
 * statement runs under its own scope. A read's `fn` must not call `read` again.
 *
 * A write (`aside`) commits the shared transaction first and meanwhile sends
 * reads to their own transactions, so a request never holds two connections that
 * wait on each other (the embedded database serves one transaction at a time).
 * A database error in a read rolls the shared transaction back (the reads queued
 * behind it open a new one); reads after `end` run in their own transactions.
 */
export interface ReadSession {
  read<T>(scope: TenantScope, fn: (em: EntityManager) => Promise<T>): Promise<T>;
  aside<T>(fn: () => Promise<T>): Promise<T>;
  end(): Promise<void>;
}

interface SharedTx {
  base: Promise<EntityManager>;
  /** A fork per scope sharing the transaction, with that scope's filter parameters. */
  scopes: Map<string, EntityManager>;
  /** The scope whose settings are in force. */
  key?: string;
  /** The last read's turn: the next waits for it. */
  tail: Promise<unknown>;
  /** Rolled back after an error: queued reads go to a new transaction. */
  broken?: boolean;
  finished?: Promise<void>;
}

const REROUTE = Symbol('reroute');

export function readSession(em: EntityManager): ReadSession {
  let tx: SharedTx | undefined;
  let asides = 0;
  let ended = false;

  const open = (): SharedTx => {
    const base = em.fork();
    return { base: base.begin().then(() => base), scopes: new Map(), tail: Promise.resolve() };
  };
  const retire = (t: SharedTx): Promise<void> => {
    if (tx === t) tx = undefined;
    return (t.finished ??= t.tail.then(async () => {
      if (!t.broken) await (await t.base).commit();
    }));
  };
  const turn = async <T>(t: SharedTx, scope: TenantScope, fn: (em: EntityManager) => Promise<T>): Promise<T | typeof REROUTE> => {
    if (t.broken) return REROUTE;
    const key = `${scope.accountId ?? ''}|${scope.platform ? 'platform' : ''}`;
    let base: EntityManager | undefined;
    try {
      base = await t.base;
      if (t.key !== key) {
        t.key = undefined;
        await base.execute(tenantSettingsSql, tenantSettingsParams(scope));
        t.key = key;
      }
      let scoped = t.scopes.get(key);
      if (!scoped) t.scopes.set(key, (scoped = withTenantFilter(base.fork({ keepTransactionContext: true }), scope)));
      return await fn(scoped);
    } catch (err) {
      if (!base || err instanceof DriverException) {
        // the transaction is aborted (or never began): nothing more runs in it
        t.broken = true;
        if (tx === t) tx = undefined;
        await base?.rollback().catch(() => {});
      }
      throw err;
    }
  };

  const session: ReadSession = {
    async read(scope, fn) {
      if (ended || asides > 0) return inTenantTx(em, scope, fn);
      const t = (tx ??= open());
      const result = t.tail.then(() => turn(t, scope, fn));
      t.tail = result.catch(() => {});
      const out = await result;
      return out === REROUTE ? session.read(scope, fn) : out;
    },
    async aside(fn) {
      asides++;
      try {
        if (tx) await retire(tx);
        return await fn();
      } finally {
        asides--;
      }
    },
    async end() {
      ended = true;
      if (tx) await retire(tx);
    },
  };
  return session;
}

const tenantSettingsSql = `select set_config('cockpit.account_id', ?, true), set_config('cockpit.platform', ?, true), set_config('role', '${APP_ROLE}', true)`;
const tenantSettingsParams = (scope: TenantScope) => [scope.accountId ?? '', scope.platform ? 'on' : ''];
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
