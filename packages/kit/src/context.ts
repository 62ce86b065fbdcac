import DataLoader from 'dataloader';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { ActingScope } from './authorize';
import { inTenantTx, tenantReader, type TenantScope } from './db';
import { forbidden, invalidRequest } from './errors';
import type { Logger } from './log';
import type { AuditInput } from './events';
import { recordEvent, type EventInput, type OutboxEvent } from './outbox';
import type { Principal } from './principal';
import { NO_TRACING, type Tracing } from './tracing';

export interface Write {
  /** The write's transaction (tenant settings applied, so RLS confines it). */
  em: EntityManager;
  /**
   * Records an audit/outbox event in this transaction: the change and its record commit together.
   * Typed from the subgraphs' catalogues (`AuditEvents`): an unknown type, another subject or an
   * undeclared payload field does not compile.
   */
  audit(input: AuditInput): Promise<OutboxEvent>;
  /** Marks the write as a no-op (an idempotent repeat): it commits without an audit event. */
  unchanged<T>(result: T): T;
}

/** POSTs `body` to another service's internal route as this service (SubgraphConfig.serviceUrls); UPSTREAM_ERROR when it fails. */
export type CallService = <T>(service: string, path: string, body: unknown, requestId: string) => Promise<T>;

export interface WriteOptions {
  /**
   * How many audit events the write records when it changes something; 1 unless stated. `{ min }`: at least that
   * many (a write whose change may set off further events, e.g. a debit crossing budget thresholds).
   */
  events?: number | { min: number };
}

/**
 * One request, one context: the principal, a forked EntityManager and fresh
 * DataLoaders are created together here, for HTTP and WebSocket alike. A root
 * field's resolver gets a copy scoped to what its `@authorize` declaration
 * decided (`accountId`, `platform`); every other resolver gets the principal's
 * default scope.
 */
export interface RequestContext {
  principal: Principal;
  requestId: string;
  log: Logger;
  /** The account this field acts on (null on the platform). */
  accountId: string | null;
  /** Reads and writes see every account (super admins on the platform). */
  platform: boolean;
  /** `accountId`, or INVALID_REQUEST when the field acts on no account. */
  readonly account: string;
  /**
   * Runs `fn` with the request's reader of this scope (`tenantReader`): every statement it sends
   * is one round trip carrying the scope's tenant settings (RLS and the tenant filter applied),
   * outside any transaction of its own — no `begin`, no `commit`, no connection held between
   * statements. Reads only: a statement that writes fails.
   */
  read<T>(fn: (em: EntityManager) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in one tenant-scoped transaction with `audit` bound to it; wakes the
   * outbox relay after commit. Throws (rolling back) unless the write recorded
   * exactly `events` audit events (1 by default), or declared itself `unchanged`.
   */
  write<T>(fn: (w: Write) => Promise<T>, options?: WriteOptions): Promise<T>;
  /** The events `alsoRecord` added in this request (the subgraph tells the gateway of them in a response header). */
  readonly alsoRecorded: EventInput[];
  /** Calls another service's internal route as this service, with this request's id (catalog → identity's directory). */
  callService<T>(service: string, path: string, body: unknown): Promise<T>;
  /** The time now by the subgraph's clock (SubgraphConfig.now; the real one outside tests that move time). */
  now(): Date;
  /** The request's DataLoader named `name`, created on first use (shared by every scope of the request). */
  loader<K, V, C = K>(name: string, batch: DataLoader.BatchLoadFn<K, V>, options?: DataLoader.Options<K, V, C>): DataLoader<K, V, C>;
  /** This context acting in `scope` (the kit calls it for each root field). */
  actingAs(scope: ActingScope): RequestContext;
}

const ContextProto = {
  get account(): string {
    const accountId = (this as unknown as RequestContext).accountId;
    if (!accountId) throw invalidRequest('Account context required');
    return accountId;
  },
};

export function createRequestContext(opts: {
  orm: MikroORM;
  schema: string;
  principal: Principal;
  log: Logger;
  onCommit?: () => void;
  /** An event to record beside `input` in the same transaction (identity's `credentials.changed`); not counted as an audit event. */
  alsoRecord?: (input: EventInput) => EventInput | null;
  /** Checks each audit event against the subgraph's catalogue before it is written. */
  checkEvent?: (input: EventInput) => void;
  callService?: CallService;
  /** See SubgraphConfig.now. */
  now?: () => Date;
  /**
   * The request's reads of one scope share one reader (its identity map) for the context's life (HTTP
   * requests). Without it (a long-lived WebSocket context) every read has a fresh one, so nothing piles up.
   */
  shareReads?: boolean;
  /** The subgraph's tracer: a span per read (a DataLoader batch is one) and per write transaction. */
  tracing?: Tracing;
}): RequestContext {
  const { orm, schema, principal } = opts;
  const tracing = opts.tracing ?? NO_TRACING;
  const dbAttributes = { 'db.system.name': 'postgresql', 'db.namespace': schema };
  // No EntityManager of the request's own: a reader forks the ORM's (one fork per scope read, none for a
  // request that reads nothing), and each write's transaction forks it again (as `em.transactional` would).
  const root = orm.em as EntityManager;
  const readers = opts.shareReads ? new Map<string, EntityManager>() : undefined;
  const readerOf = (scope: TenantScope): EntityManager => {
    if (!readers) return tenantReader(root, scope);
    const key = `${scope.accountId ?? ''}|${scope.platform ? 'platform' : ''}`;
    let r = readers.get(key);
    if (!r) readers.set(key, (r = tenantReader(root, scope)));
    return r;
  };
  const loaders = new Map<string, DataLoader<any, any, any>>();
  const log = opts.log.child({ requestId: principal.requestId });
  const alsoRecorded: EventInput[] = [];

  const scoped = (scope: ActingScope): RequestContext => {
    if (scope.platform && !principal.superAdmin) throw forbidden('Platform scope is for super admins');
    const write = async <T>(fn: (w: Write) => Promise<T>, options?: WriteOptions): Promise<T> => {
      const expected = options?.events ?? 1;
      let recorded = 0;
      let noOp = false;
      // The one place a request's transactions are opened.
      const result = await inTenantTx(root.fork() as EntityManager, scope, async (tem) => {
        const out = await fn({
          em: tem,
          audit: async (typed) => {
            const input: Omit<EventInput, 'accountId'> & { accountId?: string } = typed;
            const accountId = input.accountId ?? scope.accountId;
            if (!accountId) throw new Error(`audit event ${input.type} names no account and the write acts on none`);
            const event = { ...input, accountId };
            opts.checkEvent?.(event);
            recorded++;
            const traceparent = tracing.traceparent();
            const written = await recordEvent(tem, schema, principal, event, traceparent);
            const also = opts.alsoRecord?.(event);
            if (also) {
              await recordEvent(tem, schema, principal, also, traceparent);
              alsoRecorded.push(also);
            }
            return written;
          },
          unchanged: (r) => {
            noOp = true;
            return r;
          },
        });
        // a write that forgets its audit event must not commit (and fails every test that reaches it)
        const counted = typeof expected === 'number' ? recorded === expected : recorded >= expected.min;
        if (!(noOp && recorded === 0) && !counted)
          throw new Error(`write recorded ${recorded} audit event(s); its declaration states ${JSON.stringify(expected)}`);
        return out;
      });
      if (recorded > 0) opts.onCommit?.();
      return result;
    };
    // the getter lives on the prototype: Apollo Server copies a context's own enumerable properties (Object.assign)
    return Object.assign(Object.create(ContextProto) as RequestContext, {
      principal,
      requestId: principal.requestId,
      log,
      accountId: scope.accountId,
      platform: scope.platform,
      read: tracing.enabled
        ? (fn) => tracing.span('db read', { attributes: dbAttributes }, () => fn(readerOf(scope)))
        : (fn) => fn(readerOf(scope)),
      write: tracing.enabled
        ? (fn, options) => tracing.span('db transaction', { attributes: dbAttributes }, () => write(fn, options))
        : write,
      now: opts.now ?? (() => new Date()),
      callService: <T>(service: string, path: string, body: unknown) => {
        const call = opts.callService;
        if (!call) throw new Error(`no service calls configured (${service}${path})`);
        // a read holds no transaction between statements, so the other service never waits for this request
        return call<T>(service, path, body, principal.requestId);
      },
      loader(name, batch, options) {
        let l = loaders.get(name);
        if (!l) {
          l = new DataLoader(batch, options);
          loaders.set(name, l);
        }
        return l;
      },
      alsoRecorded,
      actingAs: scoped,
    } satisfies Omit<RequestContext, 'account'>);
  };

  return scoped({ accountId: principal.accountId, platform: principal.superAdmin && !principal.accountId });
}
