import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { authorize, conflict, isUuid, notFound, type Action, type FieldDetails, type Principal } from '@cockpit/kit';

/** May this principal see rows of `accountId` at all? (Another tenant's rows answer NOT_FOUND, never FORBIDDEN.) */
export function visible(p: Principal, accountId: string | null): boolean {
  return p.superAdmin || (accountId !== null && p.accountId === accountId);
}

/** Tenant check first (NOT_FOUND), then the role check (FORBIDDEN). */
export function authorizeOn(p: Principal, action: Action, accountId: string, what: string): Principal {
  if (!visible(p, accountId)) throw notFound(what);
  return authorize(p, action);
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

/** `any(array[?]::uuid[])`: MikroORM inlines an array parameter as a comma list, which ARRAY[] accepts even when empty. */
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
