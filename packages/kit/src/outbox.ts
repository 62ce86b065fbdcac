import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { inTenantTx, tenantTableSql } from './db';
import { uuidv7 } from './ids';
import type { Logger } from './log';
import type { Principal } from './principal';
import { NO_TRACING, SpanKind, type Tracing } from './tracing';

/** A management event as it leaves a subgraph: the audit log and the live feed are built from these. */
export interface OutboxEvent {
  id: string;
  accountId: string;
  type: string;
  domain: 'COPILOT' | 'CONSOLE' | 'PLATFORM';
  source: string;
  actor: { subject: string; kind: string };
  subject: { type: string; id: string } | null;
  payload: Record<string, unknown>;
  requestId: string;
  occurredAt: string;
}

export interface EventInput {
  accountId: string;
  type: string;
  domain?: OutboxEvent['domain'];
  subject?: { type: string; id: string };
  payload?: Record<string, unknown>;
}

/** Migration SQL for `<schema>.outbox`. */
export function outboxTableSql(schema: string): string[] {
  return [
    `create table "${schema}"."outbox" (
      id uuid primary key,
      account_id uuid not null,
      body jsonb not null,
      attempts int not null default 0,
      next_attempt_at timestamptz not null default now()
    )`,
    `create index outbox_due_idx on "${schema}"."outbox" (next_attempt_at, id)`,
    ...tenantTableSql(schema, 'outbox', 'account_id', false), // no answer reads the outbox
  ];
}

/**
 * Migration SQL: the `traceparent` of the write that recorded an outbox row (null when tracing is off), so
 * the relay's delivery and observability's ingest continue the writer's trace.
 */
export function outboxTraceparentSql(schema: string): string[] {
  return [`alter table "${schema}"."outbox" add column if not exists traceparent text`];
}

/**
 * Writes the event in the caller's transaction: the change and its audit record
 * commit together or not at all. `traceparent`: the writing span's, when tracing is on.
 */
export async function recordEvent(
  em: EntityManager,
  schema: string,
  principal: Principal,
  input: EventInput,
  traceparent?: string,
): Promise<OutboxEvent> {
  const event: OutboxEvent = {
    id: uuidv7(),
    accountId: input.accountId,
    type: input.type,
    domain: input.domain ?? 'COPILOT',
    source: schema,
    actor: { subject: principal.subject, kind: principal.kind },
    subject: input.subject ?? null,
    payload: input.payload ?? {},
    requestId: principal.requestId,
    occurredAt: new Date().toISOString(),
  };
  await em.execute(`insert into "${schema}"."outbox" (id, account_id, body, traceparent) values (?, ?, ?, ?)`, [
    event.id,
    event.accountId,
    JSON.stringify(event),
    traceparent ?? null,
  ]);
  return event;
}

const LEASE_SECONDS = 30;
/** The outbox relay's statements are logged as `[query] (outbox relay) …` (statement counts leave them out). */
export const RELAY_LOG_LABEL = 'outbox relay';

export interface OutboxRelay {
  /** Deliver now (called right after a commit that wrote outbox rows). */
  wake(): void;
  stop(): Promise<void>;
}

/**
 * At-least-once delivery of outbox rows: claims due rows with SKIP LOCKED (so
 * replicas share the work), hands them to `deliver`, deletes them on success and
 * backs off exponentially on failure. Polls every `intervalMs` as a safety net.
 */
export function startOutboxRelay(opts: {
  orm: MikroORM;
  schema: string;
  deliver: (events: OutboxEvent[]) => Promise<void>;
  log: Logger;
  intervalMs?: number;
  batchSize?: number;
  /** The subgraph's tracer: each delivery is a span in the trace of the write that recorded its rows. */
  tracing?: Tracing;
}): OutboxRelay {
  const { orm, schema, deliver, log } = opts;
  const tracing = opts.tracing ?? NO_TRACING;
  const batchSize = opts.batchSize ?? 100;
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;

  const platform = { accountId: null, platform: true };
  const relayTx = <T>(fn: (em: EntityManager) => Promise<T>) => inTenantTx(orm.em.fork(), platform, fn, RELAY_LOG_LABEL);
  // Claim due rows by leasing them, then deliver with no transaction open: a
  // transaction held across the HTTP call would deadlock the embedded database
  // (one session) and pin a connection on PostgreSQL. A crash mid-delivery
  // only delays the rows until the lease ends (observability dedupes by id).
  const drainOnce = async (): Promise<number> => {
    const rows: { id: string; body: OutboxEvent | string; attempts: number; traceparent: string | null }[] = await relayTx((em) =>
      em.execute(
        `update "${schema}"."outbox" set next_attempt_at = now() + interval '${LEASE_SECONDS} seconds'
           where id in (select id from "${schema}"."outbox" where next_attempt_at <= now() order by id limit ? for update skip locked)
           returning id, body, attempts, traceparent`,
        [batchSize],
      ),
    );
    if (rows.length === 0) return 0;
    rows.sort((a, b) => (a.id < b.id ? -1 : 1));
    const ids = rows.map((r) => r.id);
    const events = rows.map((r) => (typeof r.body === 'string' ? JSON.parse(r.body) : r.body) as OutboxEvent);
    try {
      if (!tracing.enabled) await deliver(events);
      else await deliverTraced(rows, events);
    } catch (err) {
      const attempts = Math.max(...rows.map((r) => r.attempts)) + 1;
      const delayMs = Math.min(30_000, 250 * 2 ** Math.min(attempts, 7));
      log.warn({ err: (err as Error).message, count: rows.length, attempts, delayMs }, 'outbox delivery failed; will retry');
      await relayTx((em) =>
        em.execute(
          `update "${schema}"."outbox" set attempts = attempts + 1, next_attempt_at = now() + (? || ' milliseconds')::interval where id in (?)`,
          [String(delayMs), ids],
        ),
      );
      return 0;
    }
    await relayTx((em) => em.execute(`delete from "${schema}"."outbox" where id in (?)`, [ids]));
    return rows.length;
  };

  // one delivery per run of consecutive rows from one trace (in order: an account's chain keeps its order), each
  // a span continuing the writer's trace; observability's side continues it from the call's traceparent
  const deliverTraced = async (rows: { traceparent: string | null }[], events: OutboxEvent[]) => {
    for (let i = 0; i < rows.length;) {
      let j = i + 1;
      while (j < rows.length && rows[j].traceparent === rows[i].traceparent) j++;
      const batch = events.slice(i, j);
      await tracing.span(
        'outbox publish',
        {
          kind: SpanKind.PRODUCER,
          parent: rows[i].traceparent,
          attributes: {
            'messaging.system': 'cockpit.outbox',
            'messaging.operation.type': 'send',
            'messaging.destination.name': 'observability.ingest',
            'messaging.batch.message_count': batch.length,
            'db.namespace': schema,
          },
        },
        () => deliver(batch),
      );
      i = j;
    }
  };

  const run = async () => {
    do {
      again = false;
      try {
        while (!stopped && (await drainOnce()) === batchSize);
      } catch (err) {
        if (!stopped) log.error({ err }, 'outbox relay error');
      }
    } while (again && !stopped);
    running = null;
  };

  const wake = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = run();
  };
  const timer = setInterval(wake, opts.intervalMs ?? 1000);
  timer.unref();
  wake();
  return {
    wake,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
