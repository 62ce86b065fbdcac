import { MikroORM, type EntityManager, type EntitySchema, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { MigrationObject } from '@mikro-orm/core';

/** The non-superuser role every request transaction runs as, so RLS applies (ARCHITECTURE.md §3). */
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

export async function createOrm(cfg: OrmConfig): Promise<MikroORM> {
  const options: Options = {
    clientUrl: cfg.url,
    schema: cfg.schema,
    entities: cfg.entities,
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
  return done.map((m) => m.name);
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
export async function inTenantTx<T>(em: EntityManager, scope: TenantScope, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  return em.transactional(async (tem) => {
    await tem.execute(
      `select set_config('cockpit.account_id', ?, true), set_config('cockpit.platform', ?, true), set_config('role', '${APP_ROLE}', true)`,
      [scope.accountId ?? '', scope.platform ? 'on' : ''],
    );
    return fn(tem);
  });
}

/** SQL for a migration: RLS enabled and forced on a tenant table, with a WITH CHECK policy. */
export function tenantTableSql(schema: string, table: string, accountColumn = 'account_id'): string[] {
  const t = `"${schema}"."${table}"`;
  const cond = `(${accountColumn} = nullif(current_setting('cockpit.account_id', true), '')::uuid or current_setting('cockpit.platform', true) = 'on')`;
  return [
    `alter table ${t} enable row level security`,
    `alter table ${t} force row level security`,
    `create policy tenant_isolation on ${t} using ${cond} with check ${cond}`,
    `grant select, insert, update, delete on ${t} to ${APP_ROLE}`,
  ];
}

/** SQL for a migration: the app role may use the schema. */
export function schemaGrantSql(schema: string): string[] {
  return [`grant usage on schema "${schema}" to ${APP_ROLE}`];
}
