import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { inTenantTx, tenantTableSql } from './db';
import { uuidv7 } from './ids';
import type { Logger } from './log';
import type { Principal } from './principal';

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
 * Writes the event in the caller's transaction: the change and its audit record
 * commit together or not at all.
 */
export async function recordEvent(em: EntityManager, schema: string, principal: Principal, input: EventInput): Promise<OutboxEvent> {
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
  await em.execute(`insert into "${schema}"."outbox" (id, account_id, body) values (?, ?, ?)`, [
    event.id,
    event.accountId,
    JSON.stringify(event),
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
}): OutboxRelay {
  const { orm, schema, deliver, log } = opts;
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
    const rows: { id: string; body: OutboxEvent | string; attempts: number }[] = await relayTx((em) =>
      em.execute(
        `update "${schema}"."outbox" set next_attempt_at = now() + interval '${LEASE_SECONDS} seconds'
           where id in (select id from "${schema}"."outbox" where next_attempt_at <= now() order by id limit ? for update skip locked)
           returning id, body, attempts`,
        [batchSize],
      ),
    );
    if (rows.length === 0) return 0;
    rows.sort((a, b) => (a.id < b.id ? -1 : 1));
    const ids = rows.map((r) => r.id);
    try {
      await deliver(rows.map((r) => (typeof r.body === 'string' ? JSON.parse(r.body) : r.body)));
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
