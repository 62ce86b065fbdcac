import type { EntityManager, MikroORM, RequiredEntityData } from '@mikro-orm/postgresql';
import { CREDENTIALS_CHANGED } from '@cockpit/contracts';
import {
  inTenantTx,
  internalRoute,
  isUuid,
  requireService,
  SUBGRAPH_NAMES,
  validationError,
  type FieldDetails,
  type OutboxEvent,
  ingestedEvents,
} from '@cockpit/kit';
import type { LiveBus, LiveMessage } from '../live/live-bus';
import { CREDENTIALS_CHANNEL } from '../live/platform-feed';
import { chainHash, GENESIS_HASH, type ChainFields } from './event-chain';
import type { Event } from './event.entity';
import { appendEvents, chainHead, lockChain, recordedIds } from './event.repository';

export interface IngestResult {
  accepted: number;
  duplicates: number;
}

const DOMAINS = new Set(['COPILOT', 'CONSOLE', 'PLATFORM']);
export const MAX_INGEST_BATCH = 1000;

/** The `/internal/ingest` route: only the subgraphs' outbox relays, each signing with its own key, may append to the chains. */
export function ingestRoute(orm: MikroORM, bus: LiveBus) {
  return internalRoute(SUBGRAPH_NAMES, async (body, principal): Promise<IngestResult> => {
    requireService(principal, 'ingest events');
    const events = (body as { events?: unknown } | null)?.events;
    const result = await ingestEvents(orm, bus, parseEvents(events), principal.subject);
    ingestedEvents.inc({ from: principal.subject }, result.accepted);
    return result;
  });
}

/** Refuses the whole batch when any event is malformed: a relay must not half-deliver a transaction's events. */
export function parseEvents(raw: unknown): ChainInput[] {
  if (!Array.isArray(raw)) throw validationError({ events: 'must be an array of events' });
  if (raw.length > MAX_INGEST_BATCH) throw validationError({ events: `at most ${MAX_INGEST_BATCH} events per batch` });
  const details: FieldDetails = {};
  const out: ChainInput[] = [];
  raw.forEach((e: Partial<OutboxEvent> | null, i) => {
    const bad = (field: string, msg: string) => (details[field ? `events[${i}].${field}` : `events[${i}]`] = msg);
    if (e === null || typeof e !== 'object') return bad('', 'must be an object');
    if (!isUuid(e.id)) bad('id', 'must be a UUID');
    if (!isUuid(e.accountId)) bad('accountId', 'must be a UUID');
    if (typeof e.type !== 'string' || !e.type || e.type.length > 200) bad('type', 'must be a non-empty string');
    if (typeof e.domain !== 'string' || !DOMAINS.has(e.domain)) bad('domain', 'must be COPILOT, CONSOLE or PLATFORM');
    if (typeof e.source !== 'string' || !e.source) bad('source', 'must be a non-empty string');
    if (!e.actor || typeof e.actor.subject !== 'string' || typeof e.actor.kind !== 'string') bad('actor', 'must be { subject, kind }');
    if (e.subject != null && (typeof e.subject.type !== 'string' || typeof e.subject.id !== 'string'))
      bad('subject', 'must be null or { type, id }');
    if (e.payload === null || typeof e.payload !== 'object' || Array.isArray(e.payload)) bad('payload', 'must be an object');
    if (e.requestId != null && typeof e.requestId !== 'string') bad('requestId', 'must be a string');
    const occurredAt = typeof e.occurredAt === 'string' ? new Date(e.occurredAt) : null;
    if (!occurredAt || Number.isNaN(occurredAt.getTime())) bad('occurredAt', 'must be an ISO 8601 timestamp');
    if (Object.keys(details).length) return;
    out.push({
      id: e.id!.toLowerCase(),
      accountId: e.accountId!.toLowerCase(),
      type: e.type!,
      domain: e.domain!,
      source: e.source!,
      actor: { subject: e.actor!.subject, kind: e.actor!.kind },
      subjectType: e.subject?.type ?? null,
      subjectId: e.subject?.id ?? null,
      payload: e.payload!,
      requestId: e.requestId ?? null,
      occurredAt: occurredAt!.toISOString(),
    });
  });
  if (Object.keys(details).length) throw validationError(details, 'Malformed events');
  return out;
}

export type ChainInput = Omit<ChainFields, 'seq' | 'occurredAt' | 'subjectType' | 'subjectId' | 'requestId'> & {
  subjectType: string | null;
  subjectId: string | null;
  requestId: string | null;
  occurredAt: string;
};

/**
 * Appends events to their accounts' hash chains, skipping ids already recorded
 * (delivery is at-least-once), all in one transaction; then announces the new
 * heads on the live bus. Each account's chain is extended under an advisory
 * lock so concurrent batches serialise per account: a chain never forks and
 * every committed chain is a gap-free prefix, which the live feed relies on.
 */
export async function ingestEvents(orm: MikroORM, bus: LiveBus, events: ChainInput[], from?: string): Promise<IngestResult> {
  if (events.length === 0) return { accepted: 0, duplicates: 0 };
  const byAccount = new Map<string, ChainInput[]>();
  for (const e of events) byAccount.set(e.accountId, [...(byAccount.get(e.accountId) ?? []), e]);
  // a fixed lock order keeps two batches touching the same accounts from deadlocking
  const accounts = [...byAccount.keys()].sort();

  const published: LiveMessage[] = [];
  const accepted = await inTenantTx(orm.em.fork() as EntityManager, { accountId: null, platform: true }, async (em) => {
    let count = 0;
    for (const accountId of accounts) {
      const appended = await appendToChain(em, accountId, byAccount.get(accountId)!);
      published.push(...appended);
      count += appended.length;
    }
    return count;
  });
  // credential changes go to the gateways too, but only as identity, the one service that owns credentials, reported them
  const credentialEvents = new Set(from === 'identity' ? events.filter((e) => e.type === CREDENTIALS_CHANGED).map((e) => e.id) : []);
  for (const msg of published) {
    bus.publish(msg);
    if (credentialEvents.has(msg.id)) bus.publish({ ...msg, accountId: CREDENTIALS_CHANNEL });
  }
  return { accepted, duplicates: events.length - accepted };
}

async function appendToChain(em: EntityManager, accountId: string, events: ChainInput[]): Promise<LiveMessage[]> {
  await lockChain(em, accountId);
  const seen = await recordedIds(
    em,
    events.map((e) => e.id),
  );
  const fresh: ChainInput[] = [];
  for (const e of events) {
    if (seen.has(e.id)) continue; // recorded before, or repeated within this batch
    seen.add(e.id);
    fresh.push(e);
  }
  if (fresh.length === 0) return [];

  const head = await chainHead(em, accountId);
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const links: RequiredEntityData<Event>[] = [];
  const out: LiveMessage[] = [];
  for (const e of fresh) {
    seq += 1;
    const hash = chainHash(prevHash, { ...e, seq });
    links.push({ ...e, accountId, seq, occurredAt: new Date(e.occurredAt), prevHash, hash });
    out.push({ accountId, seq, id: e.id });
    prevHash = hash;
  }
  await appendEvents(em, links);
  return out;
}
