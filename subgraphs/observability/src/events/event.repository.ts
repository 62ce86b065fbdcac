import { type RequiredEntityData, type EntityManager } from '@mikro-orm/postgresql';
import { readRows, selectEntities, tableOf } from '@cockpit/kit';
import { Event } from './event.entity';

/**
 * Reads that may walk a whole chain (the live feed, verification) keep nothing
 * in the identity map: the request's EntityManager would otherwise hold every
 * event it ever streamed.
 */
const STREAMED = { disableIdentityMap: true } as const;

/** An audit-log filter, validated by the caller. */
export interface EventFilter {
  types?: string[] | null;
  domain?: string | null;
  subjectId?: string | null;
  actorSubject?: string | null;
  search?: string | null;
  from?: Date | null;
  to?: Date | null;
}

/**
 * The audit log's condition for one account and filter, as SQL: the list and its count read through
 * prebuilt statements (the dashboard's page of 50 events is on its hot path), not the ORM's query building.
 */
function filterSql(accountId: string, f: EventFilter): { where: string; params: unknown[] } {
  const conds = ['account_id = ?'];
  const params: unknown[] = [accountId];
  const and = (cond: string, ...values: unknown[]) => {
    conds.push(cond);
    params.push(...values);
  };
  if (f.types?.length) and('type in (?)', f.types);
  if (f.domain) and('domain = ?', f.domain);
  if (f.subjectId != null) and('subject_id = ?', f.subjectId);
  if (f.actorSubject != null) and(`actor->>'subject' = ?`, f.actorSubject);
  // position() rather than LIKE, so the user's text has no wildcard characters to escape
  if (f.search)
    and(`position(lower(?) in lower(concat_ws(' ', type, subject_type, subject_id, actor->>'subject', payload::text))) > 0`, f.search);
  if (f.from) and('occurred_at >= ?', f.from);
  if (f.to) and('occurred_at <= ?', f.to);
  return { where: conds.join(' and '), params };
}

/**
 * A page of an account's audit log, newest first: `take` events older than `beforeSeq` (or the newest).
 * Read, not managed (`selectEntities`): the dashboard's page of 50 events with their JSON payloads was the
 * largest identity-map registration and change-tracking snapshot of its request, for rows nobody writes.
 */
export function auditPage(em: EntityManager, accountId: string, f: EventFilter, beforeSeq: number | null, take: number): Promise<Event[]> {
  const { where, params } = filterSql(accountId, f);
  const before = beforeSeq === null ? '' : ' and seq < ?';
  return selectEntities(em, Event, `select * from ${tableOf(em, Event)} where ${where}${before} order by seq desc limit ?`, [
    ...params,
    ...(beforeSeq === null ? [] : [beforeSeq]),
    take,
  ]);
}

export async function auditCount(em: EntityManager, accountId: string, f: EventFilter): Promise<number> {
  const { where, params } = filterSql(accountId, f);
  const [row] = await readRows<{ n: number }>(em, `select count(*)::int as n from ${tableOf(em, Event)} where ${where}`, params);
  return row.n;
}

/** Events of one account with seq in (afterSeq, uptoSeq], oldest first, optionally of some types only. */
export const eventsBetween = (
  em: EntityManager,
  accountId: string,
  afterSeq: number,
  uptoSeq: number,
  types: string[] | null,
  limit: number,
): Promise<Event[]> =>
  em.find(
    Event,
    { accountId, seq: { $gt: afterSeq, $lte: uptoSeq }, ...(types?.length ? { type: { $in: types } } : {}) },
    { orderBy: { seq: 'asc' }, limit, ...STREAMED },
  );

/** Up to `limit` events of one account from `fromSeq` on, oldest first (verification walks the chain with it). */
export const chainFrom = (em: EntityManager, accountId: string, fromSeq: number, limit: number): Promise<Event[]> =>
  em.find(Event, { accountId, seq: { $gte: fromSeq } }, { orderBy: { seq: 'asc' }, limit, ...STREAMED });

/** The newest link of an account's chain, or null when it is empty. */
export const chainHead = (em: EntityManager, accountId: string): Promise<Pick<Event, 'seq' | 'hash'> | null> =>
  em.findOne(Event, { accountId }, { orderBy: { seq: 'desc' }, fields: ['seq', 'hash'], ...STREAMED });

/** Which of these event ids are recorded already, in any account. */
export async function recordedIds(em: EntityManager, ids: string[]): Promise<Set<string>> {
  const rows = await em.find(Event, { id: { $in: ids } }, { fields: ['id'], ...STREAMED });
  return new Set(rows.map((r) => r.id));
}

/** Extends one account's chain until the transaction ends: concurrent appends serialise (raw SQL: the ORM has no advisory locks). */
export async function lockChain(em: EntityManager, accountId: string): Promise<void> {
  await em.execute(`select pg_advisory_xact_lock(hashtextextended(?::text, 0))`, [accountId]);
}

/** Appends links to chains (the app role may only insert and read events); `recordedAt` is the database's clock. */
export async function appendEvents(em: EntityManager, events: RequiredEntityData<Event>[]): Promise<void> {
  await em.insertMany<Event>(Event, events);
}

/** The payload of the event `id` if it is of `type`. */
export async function eventPayload(em: EntityManager, id: string, type: string): Promise<Record<string, unknown> | undefined> {
  const event = await em.findOne(Event, { id, type }, { fields: ['payload'], ...STREAMED });
  return event?.payload;
}
