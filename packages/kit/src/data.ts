import DataLoader from 'dataloader';
import {
  ReferenceKind,
  UniqueConstraintViolationException,
  Utils,
  type EntityMetadata,
  type EntityName,
  type EntityProperty,
  type Platform,
} from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { visibleTo } from './authorize';
import { readRows } from './db';
import type { RequestContext } from './context';
import { conflict, notFound, type FieldDetails } from './errors';
import { isUuid } from './ids';
import { can, type Action } from './rbac';

/**
 * The fields among `keys` whose value in `next` differs from `current` (null and undefined count as the
 * same), as the before/after pair an update's audit event carries; null when nothing changed.
 */
export function changedFields<K extends string>(
  current: { [k in K]?: unknown },
  next: { [k in K]?: unknown },
  keys: readonly K[],
): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const k of keys)
    if ((next[k] ?? null) !== (current[k] ?? null)) {
      before[k] = current[k] ?? null;
      after[k] = next[k] ?? null;
    }
  return Object.keys(after).length ? { before, after } : null;
}

/** A malformed id cannot name anything: NOT_FOUND rather than a SQL cast error. */
export function requireUuid(id: string, what: string): string {
  if (!isUuid(id)) throw notFound(what);
  return id.toLowerCase();
}

/** Runs `fn`, turning a unique violation into CONFLICT with the given details. */
export async function uniqueOrConflict<T>(fn: () => Promise<T>, message: string, details: FieldDetails): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof UniqueConstraintViolationException) throw conflict(message, details);
    throw e;
  }
}

/**
 * The request's loader of `entity` rows by id, read in the request's tenant
 * scope (RLS): one query per batch; an unknown, malformed or invisible id loads null.
 * Prebuilt SQL, the rows mapped by `readEntity`; an entity with an `accountId` gets
 * the tenant filter's condition too (the acting account's rows only, unless on the platform).
 */
export function byIdLoader<T extends { id: string }>(
  ctx: RequestContext,
  entity: EntityName<T>,
  name: string,
): DataLoader<string, T | null> {
  return ctx.loader<string, T | null>(`byId:${name}`, async (ids) => {
    const valid = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
    const rows = valid.length
      ? await ctx.read((em) => {
          const meta = em.getMetadata().get<T>(Utils.className(entity));
          const tenant = !ctx.platform && meta.props.some((p) => p.name === 'accountId');
          const props = meta.properties as Record<string, EntityProperty>;
          const accountCol = tenant ? props.accountId.fieldNames[0] : '';
          const idCol = props.id.fieldNames[0];
          // as the tenant filter: no account and no platform reads nothing
          if (tenant && !ctx.accountId) return Promise.resolve([] as T[]);
          return selectEntities(
            em,
            entity,
            `select * from ${tableOf(em, entity)} where ${anyUuid(`"${idCol}"`)}${tenant ? ` and "${accountCol}" = ?` : ''}`,
            tenant ? [valid, ctx.accountId] : [valid],
          );
        })
      : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => (isUuid(id) ? (byId.get(id.toLowerCase()) ?? null) : null));
  });
}

/**
 * `__resolveReference` for an entity this subgraph owns: through the request's
 * DataLoader, checked like a root field (the action, then the tenant), and null
 * for an unknown id or another tenant's — never an unchecked `{ id }`.
 */
export function entityReference<T>(opts: {
  action?: Action;
  load: (ctx: RequestContext) => DataLoader<string, T | null>;
  accountOf: (row: T) => string | null;
}): (ref: { id: string }, ctx: RequestContext) => Promise<T | null> {
  return async (ref, ctx) => {
    if (!isUuid(ref.id) || (opts.action && !can(ctx.principal, opts.action))) return null;
    const row = await opts.load(ctx).load(ref.id.toLowerCase());
    return row && visibleTo(ctx.principal, opts.accountOf(row)) ? row : null;
  };
}

/**
 * `__resolveReference` for `Account`, which identity owns and other subgraphs
 * extend with their fields: the caller's own account (any account for a super
 * admin), otherwise null. Each extending field checks its own action.
 */
export function accountReference(ref: { id: string }, ctx: RequestContext): { id: string } | null {
  if (!isUuid(ref.id)) return null;
  const id = ref.id.toLowerCase();
  return visibleTo(ctx.principal, id) ? { id } : null;
}

/**
 * The schema-qualified, quoted table of `entity` (`"identity"."account"`), read
 * from the ORM's metadata, for a repository's raw SQL: `from ${tableOf(em, Account)}`.
 */
export function tableOf(em: EntityManager, entity: EntityName<any>): string {
  const meta = em.getMetadata().get(entity as never);
  const schema = meta.schema && meta.schema !== '*' ? meta.schema : em.config.get('schema');
  return schema ? `"${schema}"."${meta.tableName}"` : `"${meta.tableName}"`;
}

/** `tableOf` for several entities at once: `const T = tablesOf(em, { account: Account, org: Org })` → `T.account`. */
export function tablesOf<K extends string>(em: EntityManager, entities: Record<K, EntityName<any>>): Record<K, string> {
  return Object.fromEntries(Object.entries(entities).map(([k, e]) => [k, tableOf(em, e as EntityName<any>)])) as Record<K, string>;
}

/**
 * A raw row (column names) as the entity's values for reading — each property under its name, converted
 * as the ORM hydrates it (custom types such as `bigint('number')`, decimals and JSON, booleans, dates) —
 * in a plain object: no entity factory, no identity map, no change-tracking snapshot. The hot read paths
 * (DataLoader pages and lookups) map many rows nobody writes. Do not persist what it returns.
 */
export function readEntity<E extends object>(em: EntityManager, entity: EntityName<E>, row: Record<string, unknown>): E {
  return rowMapper(em, entity)(row);
}

/** `readEntity` for one entity, compiled once: map many rows with it. */
export function rowMapper<E extends object>(em: EntityManager, entity: EntityName<E>): (row: Record<string, unknown>) => E {
  const meta = em.getMetadata().get<E>(Utils.className(entity));
  let mapper = rowMappers.get(meta);
  if (!mapper) rowMappers.set(meta, (mapper = compileRowMapper(meta, em.getPlatform())));
  return mapper as (row: Record<string, unknown>) => E;
}

/**
 * The rows raw SQL `sql` (selecting the entity's columns: `select * from ${tableOf(em, E)} …`) reads, as
 * `readEntity` maps them: for a repository's prebuilt read, one statement without the ORM's query
 * building or hydration. Raw SQL is not filtered by the ORM: RLS confines it, and it names the account.
 */
export async function selectEntities<E extends object>(
  em: EntityManager,
  entity: EntityName<E>,
  sql: string,
  params: unknown[] = [],
): Promise<E[]> {
  const rows = await readRows(em, sql, params);
  const map = rowMapper(em, entity);
  return rows.map(map);
}

const rowMappers = new WeakMap<EntityMetadata<any>, (row: Record<string, unknown>) => object>();

function compileRowMapper(meta: EntityMetadata<any>, platform: Platform): (row: Record<string, unknown>) => object {
  const tz = platform.getTimezone();
  const toDate = (v: unknown): Date => {
    if (v instanceof Date) return v;
    if (typeof v === 'number' || !tz || tz === 'local') return new Date(v as string);
    const s = v as string;
    return new Date(s.includes('+') || s.lastIndexOf('-') > 10 || s.endsWith('Z') ? s : s + tz);
  };
  const fields = meta.props
    .filter((prop) => prop.persist !== false)
    .map((prop) => {
      if (prop.kind !== ReferenceKind.SCALAR || prop.fieldNames?.length !== 1)
        throw new Error(`readEntity: ${meta.className}.${prop.name} is not a one-column scalar`);
      const customType = prop.customType;
      const convert: (v: unknown) => unknown = customType
        ? (v) => customType.convertToJSValue(v, platform, { mode: 'serialization' } as never)
        : prop.runtimeType === 'boolean'
          ? (v) => !!v
          : prop.runtimeType === 'Date' && !platform.isNumericProperty(prop)
            ? toDate
            : (v) => v;
      return { name: prop.name, column: prop.fieldNames[0], convert };
    });
  return (row) => {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const v = row[f.column];
      if (v === null) out[f.name] = null;
      else if (v !== undefined) out[f.name] = f.convert(v);
    }
    return out;
  };
}

/** `any(array[?]::uuid[])`: MikroORM inlines an array parameter as a comma list, which ARRAY[] accepts even when empty. For repositories' raw SQL. */
export const anyUuid = (column: string) => `${column} = any(array[?]::uuid[])`;

/**
 * Wraps `inner` (which must select `parentCol` and `id`) so that each parent
 * keeps only its first `take` rows by id: one statement for every parent. Each
 * row also carries `total`, the number of rows `inner` has for its parent (the
 * window reads them all anyway), so a page and its parents' counts are one statement.
 * `columns` (SQL over the row `w`, e.g. a correlated count) are computed for the kept rows only.
 */
export function windowed(inner: string, parentCol: string, take: number, columns?: string): string {
  return `select w.*${columns ? `, ${columns}` : ''} from (select x.*, row_number() over (partition by x.${parentCol} order by x.id) as rn,
      count(*) over (partition by x.${parentCol})::int as total from (${inner}) x) w
    where w.rn <= ${Math.trunc(take)} order by w.${parentCol}, w.id`;
}

export function groupBy<T>(rows: T[], keyOf: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = keyOf(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

export const trimmed = (s: string | null | undefined) => (s ?? '').trim();

const EMAIL_RE = /^[^\s@]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const DOMAIN_RE = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.[a-z]{2,63}$/;

export const isEmail = (s: string) => s.length <= 254 && EMAIL_RE.test(s);
export const isDomain = (s: string) => DOMAIN_RE.test(s);
