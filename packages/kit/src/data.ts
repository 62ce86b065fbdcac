import DataLoader from 'dataloader';
import { UniqueConstraintViolationException, Utils, type EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { visibleTo } from './authorize';
import type { RequestContext } from './context';
import { conflict, notFound, type FieldDetails } from './errors';
import { isUuid } from './ids';
import { can, type Action } from './rbac';

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
 */
export function byIdLoader<T extends { id: string }>(
  ctx: RequestContext,
  entity: EntityName<T>,
  name: string,
): DataLoader<string, T | null> {
  return ctx.loader<string, T | null>(`byId:${name}`, async (ids) => {
    const valid = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
    const rows = valid.length ? await ctx.read((em) => em.find(entity, { id: { $in: valid } } as never)) : [];
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

/** `any(array[?]::uuid[])`: MikroORM inlines an array parameter as a comma list, which ARRAY[] accepts even when empty. For repositories' raw SQL. */
/**
 * A raw row (column names) as an entity for reading, as `em.map` hydrates it but
 * without registering it in the identity map or taking its change-tracking
 * snapshot: the hot read paths (DataLoader pages) map many rows nobody writes.
 * Do not persist what it returns.
 */
export function readEntity<E extends object>(em: EntityManager, entity: EntityName<E>, row: Record<string, unknown>): E {
  const meta = em.getMetadata().get<E>(Utils.className(entity));
  const data = em.getDriver().mapResult(row as never, meta) ?? {};
  return em.getEntityFactory().create<E>(meta.className, data as never, { merge: false, refresh: true, convertCustomTypes: true });
}

export const anyUuid = (column: string) => `${column} = any(array[?]::uuid[])`;

/**
 * Wraps `inner` (which must select `parentCol` and `id`) so that each parent
 * keeps only its first `take` rows by id: one statement for every parent.
 */
export function windowed(inner: string, parentCol: string, take: number): string {
  return `select * from (select x.*, row_number() over (partition by x.${parentCol} order by x.id) as rn from (${inner}) x) w
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
