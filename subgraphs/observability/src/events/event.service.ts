import {
  decodeCursor,
  encodeCursor,
  seqKey,
  isUuid,
  paginate,
  validationError,
  type Connection,
  type FieldDetails,
  type RequestContext,
} from '@cockpit/kit';
import { chainHash, GENESIS_HASH } from './event-chain';
import { Event } from './event.entity';

export type AuditDomain = 'COPILOT' | 'CONSOLE' | 'PLATFORM';
export type TimeRange = 'LAST_24H' | 'LAST_7D' | 'LAST_30D';

export interface AuditFilter {
  types?: string[] | null;
  domain?: AuditDomain | null;
  subjectId?: string | null;
  actorSubject?: string | null;
  search?: string | null;
}

export interface AuditLogArgs {
  filter?: AuditFilter | null;
  range?: TimeRange | null;
  from?: Date | null;
  to?: Date | null;
  first?: number | null;
  after?: string | null;
}

export interface AuditIntegrity {
  verified: number;
  gaps: number;
  breaks: number;
  firstBrokenSeq: number | null;
  headSeq: number;
  headHash: string;
}

const RANGE_MS: Record<TimeRange, number> = { LAST_24H: 86_400_000, LAST_7D: 7 * 86_400_000, LAST_30D: 30 * 86_400_000 };
const MAX_SEARCH = 200;
const VERIFY_CHUNK = 1000;

export const EVENT_COLUMNS =
  'account_id, seq, id, type, domain, source, actor, subject_type, subject_id, payload, request_id, occurred_at, recorded_at, prev_hash, hash';

/** A raw `EVENT_COLUMNS` row in the entity's shape (bigint arrives as a string, jsonb parsed). */
export function toEvent(r: Record<string, any>): Event {
  const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
  return {
    accountId: r.account_id,
    seq: Number(r.seq),
    id: r.id,
    type: r.type,
    domain: r.domain,
    source: r.source,
    actor: json(r.actor),
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    payload: json(r.payload),
    requestId: r.request_id,
    occurredAt: new Date(r.occurred_at),
    recordedAt: new Date(r.recorded_at),
    prevHash: r.prev_hash,
    hash: r.hash,
  } as Event;
}

/** Cursors are the seq within one account's chain, made opaque. */
export const seqCursor = (seq: number): string => encodeCursor(String(seq));

export function decodeSeqCursor(cursor: string | null | undefined): number | null {
  const key = decodeCursor(cursor, seqKey);
  return key === null ? null : Number(key);
}

/** The WHERE clause (and its bindings) shared by a page and its totalCount. */
function auditWhere(accountId: string, args: AuditLogArgs, now = Date.now()): { sql: string; params: unknown[] } {
  const f = args.filter ?? {};
  const details: FieldDetails = {};
  if (args.range && (args.from || args.to)) details.range = 'give either range or from/to, not both';
  if (args.from && args.to && args.from > args.to) details.from = 'must not be after to';
  if (f.search != null && f.search.length > MAX_SEARCH) details['filter.search'] = `at most ${MAX_SEARCH} characters`;
  if (Object.keys(details).length) throw validationError(details);

  const conds = ['account_id = ?'];
  const params: unknown[] = [accountId];
  const add = (sql: string, ...p: unknown[]) => {
    conds.push(sql);
    params.push(...p);
  };
  if (f.types?.length) add('type in (?)', f.types); // knex expands a bound array into the list
  if (f.domain) add('domain = ?', f.domain);
  if (f.subjectId != null) add('subject_id = ?', f.subjectId);
  if (f.actorSubject != null) add(`actor->>'subject' = ?`, f.actorSubject);
  if (f.search) {
    // position() rather than LIKE: no wildcard characters to escape in the user's text
    add(`position(lower(?) in lower(concat_ws(' ', type, subject_type, subject_id, actor->>'subject', payload::text))) > 0`, f.search);
  }
  const from = args.range ? new Date(now - RANGE_MS[args.range]) : args.from;
  if (from) add('occurred_at >= ?::timestamptz', from.toISOString());
  if (args.to) add('occurred_at <= ?::timestamptz', args.to.toISOString());
  return { sql: conds.join(' and '), params };
}

/** One page of an account's audit log, newest first, keyset-paged on seq. */
export async function auditLog(ctx: RequestContext, accountId: string, args: AuditLogArgs): Promise<Connection<Event>> {
  const where = auditWhere(accountId, args);
  return paginate(args, {
    cursor: seqKey,
    // newest first: "after" a cursor is the older events
    rows: async ({ after, take }) =>
      (
        await ctx.read((em) =>
          em.execute(
            `select ${EVENT_COLUMNS} from "observability"."event" where ${where.sql}${after !== null ? ' and seq < ?' : ''} order by seq desc limit ?`,
            [...where.params, ...(after !== null ? [Number(after)] : []), take],
          ),
        )
      ).map(toEvent),
    key: (e) => String(e.seq),
    count: async () => {
      const [r] = await ctx.read((em) =>
        em.execute(`select count(*)::int as n from "observability"."event" where ${where.sql}`, where.params),
      );
      return Number(r.n);
    },
  });
}

/** Batched: one query for every event id asked about in this request; RLS limits it to the request's scope. */
export function eventLoader(ctx: RequestContext) {
  return ctx.loader<string, Event | null>('eventById', async (ids) => {
    const valid = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
    const rows = valid.length ? await ctx.read((em) => em.find(Event, { id: { $in: valid } })) : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
  });
}

/** Events of one account with seq in (afterSeq, uptoSeq], oldest first: what the live feed replays. */
export async function eventsBetween(
  ctx: RequestContext,
  accountId: string,
  afterSeq: number,
  uptoSeq: number,
  types: string[] | null,
  limit: number,
): Promise<Event[]> {
  const typed = types && types.length > 0;
  const rows = await ctx.read((em) =>
    em.execute(
      `select ${EVENT_COLUMNS} from "observability"."event"
       where account_id = ? and seq > ? and seq <= ?${typed ? ' and type in (?)' : ''}
       order by seq limit ?`,
      [accountId, afterSeq, uptoSeq, ...(typed ? [types] : []), limit],
    ),
  );
  return rows.map(toEvent);
}

/** The newest seq of an account's chain (0 when empty). */
export async function headSeq(ctx: RequestContext, accountId: string): Promise<number> {
  const [r] = await ctx.read((em) =>
    em.execute(`select coalesce(max(seq), 0) as seq from "observability"."event" where account_id = ?`, [accountId]),
  );
  return Number(r.seq);
}

/**
 * Recomputes an account's chain from seq 1: every hash from its own row, every
 * link against the previous row. A missing seq is a gap (the link across it
 * cannot be checked); a row that does not recompute is a break.
 */
export async function verifyChain(ctx: RequestContext, accountId: string): Promise<AuditIntegrity> {
  return ctx.read(async (em) => {
    const result: AuditIntegrity = { verified: 0, gaps: 0, breaks: 0, firstBrokenSeq: null, headSeq: 0, headHash: GENESIS_HASH };
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    for (;;) {
      const rows: Record<string, any>[] = await em.execute(
        `select ${EVENT_COLUMNS} from "observability"."event" where account_id = ? and seq >= ? order by seq limit ?`,
        [accountId, expectedSeq, VERIFY_CHUNK],
      );
      for (const row of rows) {
        const e = toEvent(row);
        const linked = e.seq === expectedSeq;
        if (!linked) {
          result.gaps += e.seq - expectedSeq;
          result.firstBrokenSeq ??= expectedSeq;
        }
        const intact = chainHash(e.prevHash, e) === e.hash && (!linked || e.prevHash === prevHash);
        if (intact) result.verified += 1;
        else {
          result.breaks += 1;
          result.firstBrokenSeq ??= e.seq;
        }
        expectedSeq = e.seq + 1;
        prevHash = e.hash;
        result.headSeq = e.seq;
        result.headHash = e.hash;
      }
      if (rows.length < VERIFY_CHUNK) return result;
    }
  });
}
