import type { Duplex } from 'node:stream';
import type { GraphQLSchema } from 'graphql';
import WebSocket from 'ws';
import { CockpitError, uuidv7, type Logger, type Principal } from '@cockpit/kit/edge';
import type { Authenticator, Credentials } from '../auth/authenticate';
import type { EdgeLimiter } from '../rate-limit/types';
import type { ConnectionAdmission, Slot } from './admission';
import { CLOSE, closeFor, credentialFrom, isRefusal, TOKEN_EXPIRED_REASON, TOO_SLOW_REASON, type AuthenticatedConnection } from './auth';
import type { NextFrame } from './frame';
import { sameScope, type Executor, type SubscriberGroups } from './groups';
import { LiveSubscription, type SubscriptionSink } from './live-subscription';
import { prepareOperationCached, type SubscribePayload } from './plan';

const INIT_TIMEOUT_MS = 5_000;
const MAX_SUBSCRIPTIONS_PER_CONNECTION = 32;
/** setTimeout's ceiling; a later expiry is left to revalidation. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/*
 * Thousands of sockets stay open for hours, so what each one holds is kept to
 * objects: the socket's listeners and timers are functions shared by all
 * connections (they find theirs on the socket, or get it as the timer's
 * argument), not closures per connection; the context is the bridge's one.
 */
const CONNECTION = Symbol('cockpit.connection');
type Socket = WebSocket & { [CONNECTION]?: Connection };

function onSocketMessage(this: Socket, data: WebSocket.RawData) {
  this[CONNECTION]?.received(data.toString());
}
function onSocketClose(this: Socket) {
  this[CONNECTION]?.socketClosed();
}
// an oversized frame, invalid UTF-8, a bad opcode: ws closes the socket itself with the right status (1009, 1007, 1002)
function onSocketError(this: Socket, err: Error) {
  this[CONNECTION]?.protocolError(err);
}
function initTimedOut(c: Connection) {
  c.initTimedOut();
}
function expired(c: Connection) {
  c.close(CLOSE.unauthorized, TOKEN_EXPIRED_REASON);
}

export interface ConnectionContext {
  authenticate: Authenticator['authenticate'];
  apiSchema: () => GraphQLSchema | undefined;
  hideSchemaDetails?: boolean;
  execute: Executor;
  groups: SubscriberGroups;
  admission: ConnectionAdmission;
  /** Bytes a socket may have unsent (`ws` `bufferedAmount`) before it is closed as too slow. */
  maxBufferedBytes: number;
  limiter?: EdgeLimiter;
  log: Logger;
  onClosed(c: Connection): void;
}

/** An operation in progress on the socket: a live subscription, a query running once, or one awaiting the rate limiter. */
interface Operation {
  stop(): void;
  move?(p: Principal): void;
}

type Message = { type?: unknown; id?: unknown; payload?: any };

/** One client socket speaking graphql-transport-ws: init and auth, then operations by id. */
export class Connection implements AuthenticatedConnection, SubscriptionSink {
  principal: (Principal & { expiresAt?: number }) | null = null;
  credential?: Omit<Credentials, 'requestId'>;
  private initReceived = false;
  private closed = false;
  private slot?: Slot;
  private expiryTimer?: NodeJS.Timeout;
  private initTimer?: NodeJS.Timeout;
  private readonly ops = new Map<string, Operation>();
  /** The TCP socket under `ws`, for the events' shared frames (null: an extension is negotiated, so `ws` frames everything). */
  private readonly raw: Duplex | null;

  constructor(
    private readonly ws: WebSocket,
    private readonly ctx: ConnectionContext,
    socket: Duplex,
  ) {
    // without an extension (the bridge's server negotiates none: no permessage-deflate) ws writes
    // every frame to this socket at once, in order, so a frame written here takes its place between them
    this.raw = ws.extensions === '' ? socket : null;
    this.initTimer = setTimeout(initTimedOut, INIT_TIMEOUT_MS, this);
    (ws as Socket)[CONNECTION] = this;
    ws.on('error', onSocketError);
    ws.on('close', onSocketClose);
    ws.on('message', onSocketMessage);
  }

  /** A message from the client (what `ws` emits, as text). */
  received(raw: string) {
    this.onMessage(raw).catch((err) => {
      this.ctx.log.error({ err }, 'websocket message handling failed');
      this.close(CLOSE.internal, 'Internal error');
    });
  }

  socketClosed() {
    this.onClose();
  }

  protocolError(err: Error) {
    this.ctx.log.debug({ err: err.message }, 'websocket protocol error');
  }

  initTimedOut() {
    this.initTimer = undefined;
    if (!this.principal) this.close(CLOSE.initTimeout, 'Connection initialisation timeout');
  }

  refuse(e: CockpitError) {
    const { code, reason } = closeFor(e);
    this.credential = undefined;
    this.close(code, reason);
  }

  /**
   * A revalidated principal replaces the old one: queries run as it from now on,
   * and live subscriptions move to its group (resuming after their last event) when
   * what it may see changed, e.g. a demoted admin stops seeing admin-only fields.
   */
  reauthorized(p: Principal & { expiresAt?: number }) {
    if (this.closed || !this.principal) return;
    const before = this.principal;
    this.principal = p;
    if (p.expiresAt !== before.expiresAt) this.armExpiry(p.expiresAt);
    if (sameScope(before, p)) return;
    for (const op of this.ops.values()) op.move?.(p);
  }

  close(code: number, reason: string) {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
  }

  /**
   * Writes a text frame. A client that does not read its events leaves them
   * buffered here: once more than `maxBufferedBytes` wait, the socket is closed
   * (4413, its subscriptions leave their groups at once), so a slow client only
   * ever costs its own buffer and the others never wait for it.
   */
  send(frame: string | Buffer) {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > this.ctx.maxBufferedBytes) return this.tooSlow();
    this.ws.send(frame, { binary: false });
  }

  /**
   * An event's `next` (SubscriptionSink): the group's shared header and bytes and the
   * subscription's id suffix, written to the socket as one frame in one write (under the
   * same cap as `send`). Thousands of sockets take the same frame per event, so this is the
   * per-socket cost of an event: one small copy and one write, nothing serialized or framed.
   */
  sendNext(frame: NextFrame, suffix: Buffer) {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > this.ctx.maxBufferedBytes) return this.tooSlow();
    if (!this.raw) return this.ws.send(frame.message(suffix), { binary: false });
    const head = frame.head(suffix.length);
    const bytes = Buffer.allocUnsafe(head.length + suffix.length);
    head.copy(bytes, 0);
    suffix.copy(bytes, head.length);
    this.raw.write(bytes);
  }

  private tooSlow() {
    this.ctx.log.warn(
      { accountId: this.principal?.accountId, bufferedBytes: this.ws.bufferedAmount },
      'closing a websocket whose client does not read its events',
    );
    this.close(CLOSE.tooSlow, TOO_SLOW_REASON);
    // the closing handshake waits for the client to read: its subscriptions and its slot go now
    this.onClose();
  }

  private sendError(id: string, errors: readonly unknown[]) {
    this.send(JSON.stringify({ id, type: 'error', payload: errors }));
  }

  private onClose() {
    if (this.closed) return;
    this.closed = true;
    this.credential = undefined;
    clearTimeout(this.initTimer);
    clearTimeout(this.expiryTimer);
    this.initTimer = this.expiryTimer = undefined;
    for (const op of this.ops.values()) op.stop();
    this.ops.clear();
    this.slot?.release();
    this.ctx.onClosed(this);
  }

  private armExpiry(expiresAt: number | undefined) {
    clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    const ms = expiresAt === undefined ? Infinity : Math.max(0, expiresAt - Date.now());
    if (ms <= MAX_TIMER_MS) this.expiryTimer = setTimeout(expired, ms, this);
  }

  private async onMessage(raw: string) {
    let msg: Message;
    try {
      msg = JSON.parse(raw);
    } catch {
      return this.close(CLOSE.badRequest, 'Invalid message received');
    }
    if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return this.close(CLOSE.badRequest, 'Invalid message received');
    switch (msg.type) {
      case 'connection_init':
        return this.init(msg.payload);
      case 'ping':
        return this.send(JSON.stringify({ type: 'pong' }));
      case 'pong':
        return;
      case 'subscribe':
        return this.subscribe(msg);
      case 'complete': {
        if (typeof msg.id !== 'string') return;
        this.ops.get(msg.id)?.stop();
        this.ops.delete(msg.id);
        return;
      }
      default:
        return this.close(CLOSE.badRequest, 'Invalid message type');
    }
  }

  private async init(payload: unknown) {
    if (this.initReceived) return this.close(CLOSE.tooMany, 'Too many initialisation requests');
    this.initReceived = true;
    const credential = credentialFrom(payload);
    let p: Principal & { expiresAt?: number };
    try {
      p = await this.ctx.authenticate({ ...credential, requestId: uuidv7() });
    } catch (e) {
      if (!isRefusal(e)) this.ctx.log.warn({ err: e instanceof Error ? e.message : e }, 'websocket authentication failed');
      const { code, reason } = closeFor(e);
      return this.close(code, reason);
    }
    if (this.closed) return;
    let admitted;
    try {
      admitted = await this.ctx.admission.admit(p);
    } catch (err) {
      this.ctx.log.error({ err }, 'connection limiter failed');
      return this.close(CLOSE.tryAgain, 'Could not check the connection limit; try again');
    }
    if (!admitted.admitted) return this.close(admitted.code, admitted.reason);
    if (this.closed) return admitted.slot.release();
    this.slot = admitted.slot;
    this.principal = p;
    this.credential = credential;
    clearTimeout(this.initTimer);
    this.initTimer = undefined;
    this.armExpiry(p.expiresAt);
    this.send(JSON.stringify({ type: 'connection_ack' }));
  }

  private async subscribe(msg: Message) {
    if (!this.principal) return this.close(CLOSE.unauthorized, 'Unauthorized');
    const { id, payload } = msg;
    if (typeof id !== 'string' || !payload || typeof payload !== 'object' || typeof payload.query !== 'string')
      return this.close(CLOSE.badRequest, 'Invalid message received');
    if (this.ops.has(id)) return this.close(CLOSE.duplicateId, `Subscriber for ${id.slice(0, 64)} already exists`);
    if (this.ops.size >= MAX_SUBSCRIPTIONS_PER_CONNECTION) {
      return this.sendError(id, [{ message: 'Too many subscriptions on this connection', extensions: { code: 'RATE_LIMITED' } }]);
    }
    // the id is taken while the limiter answers: a duplicate or a `complete` meanwhile is handled like any other
    let cancelled = false;
    const pending: Operation = { stop: () => void (cancelled = true) };
    this.ops.set(id, pending);
    if (this.ctx.limiter) {
      let refused: unknown[] | undefined;
      try {
        const v = await this.ctx.limiter.request(this.principal);
        if (!v.allowed)
          refused = [
            {
              message: `Rate limit reached (${v.limit} requests per minute); retry in ${v.retryAfterSeconds} s`,
              extensions: { code: 'RATE_LIMITED', retryAfterSeconds: v.retryAfterSeconds, limit: v.limit, resetSeconds: v.resetSeconds },
            },
          ];
      } catch (err) {
        this.ctx.log.error({ err }, 'rate limiter failed');
        refused = [{ message: 'Could not check the rate limit; try again', extensions: { code: 'SERVICE_UNAVAILABLE' } }];
      }
      if (cancelled || this.closed) return;
      if (refused) {
        this.finish(id, pending);
        return this.sendError(id, refused);
      }
    }
    this.start(id, payload as SubscribePayload, pending, () => cancelled);
  }

  private start(id: string, payload: SubscribePayload, pending: Operation, cancelled: () => boolean) {
    const principal = this.principal!;
    const schema = this.ctx.apiSchema();
    if (!schema) {
      this.finish(id, pending);
      return this.sendError(id, [{ message: 'Service is starting', extensions: { code: 'SERVICE_UNAVAILABLE' } }]);
    }
    const prepared = prepareOperationCached(schema, payload, { hideSchemaDetails: this.ctx.hideSchemaDetails });
    if (prepared.kind === 'refused') {
      this.finish(id, pending);
      return this.sendError(id, prepared.errors);
    }
    if (prepared.kind === 'once') {
      // queries and mutations over the socket run once, like over HTTP
      this.ctx.execute(principal, prepared.query, prepared.variables).then(
        (r) => {
          if (cancelled() || this.closed) return;
          this.send(JSON.stringify({ id, type: 'next', payload: r }));
          this.send(JSON.stringify({ id, type: 'complete' }));
          this.finish(id, pending);
        },
        (e) => {
          if (cancelled() || this.closed) return;
          if (!(e instanceof CockpitError)) this.ctx.log.error({ err: e }, 'operation over websocket failed');
          this.finish(id, pending);
          this.sendError(id, [
            {
              message: e instanceof CockpitError ? e.message : 'Internal error',
              extensions: { code: e instanceof CockpitError ? e.code : 'INTERNAL_ERROR' },
            },
          ]);
        },
      );
      return;
    }
    const live = new LiveSubscription(id, prepared.plan, principal, this.ctx.groups, this, this.ctx.log);
    this.ops.set(id, live);
    live.start();
  }

  /** A live subscription ended by itself (SubscriptionSink). */
  ended(id: string, sub: LiveSubscription) {
    this.finish(id, sub);
  }

  /** Frees the id of an operation that ended, unless the client already reused it. */
  private finish(id: string, op: Operation) {
    if (this.ops.get(id) === op) this.ops.delete(id);
  }
}
