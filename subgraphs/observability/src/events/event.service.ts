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
import * as events from './event.repository';

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

/** Cursors are the seq within one account's chain, made opaque. */
export const seqCursor = (seq: number): string => encodeCursor(String(seq));

export function decodeSeqCursor(cursor: string | null | undefined): number | null {
  const key = decodeCursor(cursor, seqKey);
  return key === null ? null : Number(key);
}

/** The audit log's filter, validated: VALIDATION_ERROR naming the field otherwise. */
function auditFilter(args: AuditLogArgs, now = Date.now()): events.EventFilter {
  const f = args.filter ?? {};
  const details: FieldDetails = {};
  if (args.range && (args.from || args.to)) details.range = 'give either range or from/to, not both';
  if (args.from && args.to && args.from > args.to) details.from = 'must not be after to';
  if (f.search != null && f.search.length > MAX_SEARCH) details['filter.search'] = `at most ${MAX_SEARCH} characters`;
  if (Object.keys(details).length) throw validationError(details);
  return { ...f, from: args.range ? new Date(now - RANGE_MS[args.range]) : args.from, to: args.to };
}

/** One page of an account's audit log, newest first, keyset-paged on seq. */
export async function auditLog(ctx: RequestContext, accountId: string, args: AuditLogArgs): Promise<Connection<Event>> {
  const filter = auditFilter(args);
  return paginate(args, {
    cursor: seqKey,
    // newest first: "after" a cursor is the older events
    rows: ({ after, take }) => ctx.read((em) => events.auditPage(em, accountId, filter, after === null ? null : Number(after), take)),
    key: (e) => String(e.seq),
    count: () => ctx.read((em) => events.auditCount(em, accountId, filter)),
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
export function eventsBetween(
  ctx: RequestContext,
  accountId: string,
  afterSeq: number,
  uptoSeq: number,
  types: string[] | null,
  limit: number,
): Promise<Event[]> {
  return ctx.read((em) => events.eventsBetween(em, accountId, afterSeq, uptoSeq, types, limit));
}

/** The newest seq of an account's chain (0 when empty). */
export async function headSeq(ctx: RequestContext, accountId: string): Promise<number> {
  return (await ctx.read((em) => events.chainHead(em, accountId)))?.seq ?? 0;
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
      const rows = await events.chainFrom(em, accountId, expectedSeq, VERIFY_CHUNK);
      for (const e of rows) {
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
