import type { KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '@cockpit/kit/edge';
import type { Authenticator } from '../auth/authenticate';
import type { EdgeLimiter } from '../rate-limit/types';
import { AccountFeeds } from './account-feed';
import { ConnectionAdmission } from './admission';
import { CLOSE, revalidateAll } from './auth';
import { Connection, type ConnectionContext } from './connection';
import { SubscriberGroups, type Executor } from './groups';

export type { Executor } from './groups';
export { planEventSubscription, prepareOperation, type EventPlan } from './plan';
export { CLOSE, TOKEN_EXPIRED_REASON } from './auth';

const PROTOCOL = 'graphql-transport-ws';
const MAX_PAYLOAD = 1024 * 1024;
const DEFAULT_MAX_CONNECTIONS_PER_ACCOUNT = 1000;
const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;

export interface BridgeOptions {
  authenticate: Authenticator['authenticate'];
  apiSchema: () => GraphQLSchema | undefined;
  /** Production: validation errors leave out graphql-js's "Did you mean …?" hints, as over HTTP. */
  hideSchemaDetails?: boolean;
  execute: Executor;
  /** ws:// URL of observability's internal feed. */
  feedUrl: () => string;
  internalKey: KeyObject;
  allowedOrigins: string[];
  /** Open sockets per account (platform principals count as one account), whatever the plan allows; default 1,000. */
  maxConnectionsPerAccount?: number;
  /** Bytes of events a socket may have waiting to be sent before it is closed as too slow (4413); default 1 MiB. */
  maxBufferedBytes?: number;
  /**
   * The plan's limits: asked for each socket after authentication (refused: close 4429)
   * and for each `subscribe` (refused: an `error` with RATE_LIMITED and `retryAfterSeconds`).
   */
  limiter?: EdgeLimiter;
  /**
   * How often every open connection's credential is checked again (default 30 s,
   * the key-cache TTL): a revoked key, a suspended account, a deactivated user or
   * a revoked agent loses its live feed within it (`revalidate()` does it at once).
   */
  revalidateMs?: number;
  /**
   * How often every socket is pinged (default 30 s): a socket that has not answered the previous ping with a
   * pong by the next one is terminated, so a client that vanished without closing does not hold its socket,
   * its admission slot and its subscriptions forever.
   */
  pingMs?: number;
  log: Logger;
}

/** Sockets pinged and not yet answered (a shared listener clears them: no closure per socket). */
const awaitingPong = new WeakSet<WebSocket>();
function onPong(this: WebSocket) {
  awaitingPong.delete(this);
}

/**
 * The gateway's graphql-ws endpoint. @apollo/gateway cannot execute
 * subscriptions, so for `events` the bridge follows observability's feed with
 * one upstream subscription per account, fans each event out to the account's
 * subscriber groups, and resolves the client's selection per event as a query
 * through the gateway, once per group of subscribers whose answers can't differ.
 *
 *   connection.ts         the protocol on one socket, its send buffer cap
 *   auth.ts               credentials, close codes, revalidation
 *   admission.ts          connection caps (per account, per plan)
 *   plan.ts               validation and the per-event rewrite
 *   account-feed.ts       one upstream feed per account
 *   groups.ts             subscriber groups; live-subscription.ts one subscriber
 *   frame.ts              an event's `next` frame, shared by a group's sockets
 */
export class SubscriptionBridge {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_PAYLOAD,
    // no compression: an event's frame is built once and the same bytes go to every socket (frame.ts)
    perMessageDeflate: false,
    handleProtocols: (p) => (p.has(PROTOCOL) ? PROTOCOL : false),
  });
  private readonly feeds: AccountFeeds;
  private readonly groups: SubscriberGroups;
  private readonly admission: ConnectionAdmission;
  private readonly connections = new Set<Connection>();
  /** What every connection is given: one object for all of them. */
  private readonly connectionContext: ConnectionContext;
  private readonly revalidateTimer: NodeJS.Timeout;
  private readonly pingTimer: NodeJS.Timeout;
  private revalidating: Promise<void> | null = null;

  constructor(private readonly opts: BridgeOptions) {
    this.feeds = new AccountFeeds(opts);
    this.groups = new SubscriberGroups({ execute: opts.execute, feeds: this.feeds, log: opts.log });
    this.admission = new ConnectionAdmission(opts.maxConnectionsPerAccount ?? DEFAULT_MAX_CONNECTIONS_PER_ACCOUNT, opts.limiter);
    this.connectionContext = {
      authenticate: opts.authenticate,
      apiSchema: opts.apiSchema,
      hideSchemaDetails: opts.hideSchemaDetails,
      execute: opts.execute,
      groups: this.groups,
      admission: this.admission,
      maxBufferedBytes: opts.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
      limiter: opts.limiter,
      log: opts.log,
      onClosed: (c) => this.connections.delete(c),
    };
    this.wss.on('error', (err) => opts.log.warn({ err: err.message }, 'websocket server error'));
    this.revalidateTimer = setInterval(() => void this.revalidate(), opts.revalidateMs ?? 30_000);
    this.revalidateTimer.unref();
    this.pingTimer = setInterval(() => this.ping(), opts.pingMs ?? 30_000);
    this.pingTimer.unref();
  }

  /** One keep-alive round: terminates the sockets that never answered the last ping, pings the others. */
  private ping() {
    for (const ws of this.wss.clients) {
      if (awaitingPong.has(ws)) {
        this.opts.log.debug('websocket missed its pong: terminated');
        ws.terminate();
        continue;
      }
      awaitingPong.add(ws);
      ws.ping();
    }
  }

  /**
   * Authenticates every open connection again: closes those whose credential no
   * longer stands (4401, or 4403 when forbidden) and moves the subscriptions of
   * those whose principal changed (roles, scopes, account) to the right group.
   */
  revalidate(): Promise<void> {
    this.revalidating ??= revalidateAll(this.connections, this.opts.authenticate).finally(() => {
      this.revalidating = null;
    });
    return this.revalidating;
  }

  /** Attach to the HTTP server's `upgrade` for the GraphQL path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    // the HTTP server stops handling this socket's errors once it is upgraded: a reset now must not go unhandled
    const onError = (err: Error) => this.opts.log.debug({ err: err.message }, 'websocket upgrade socket error');
    socket.on('error', onError);
    if (!this.originAllowed(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      socket.removeListener('error', onError); // ws handles the socket's errors from here
      if (ws.protocol !== PROTOCOL) {
        ws.on('error', onError);
        return ws.close(CLOSE.subprotocol, 'Subprotocol not acceptable');
      }
      ws.on('pong', onPong);
      this.connections.add(new Connection(ws, this.connectionContext, socket));
    });
  }

  private originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (!origin) return true; // not a browser
    if (this.opts.allowedOrigins.includes(origin)) return true;
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  }

  /** Open graphql-ws sockets. */
  get socketCount() {
    return this.wss.clients.size;
  }

  get groupCount() {
    return this.groups.size;
  }

  /** Live `events` subscriptions joined to their group (catching up or live). */
  get liveSubscriptionCount() {
    return this.groups.memberCount;
  }

  /** Upstream feed subscriptions held on observability: one per account followed (and one for the platform chain). */
  get upstreamFeedCount() {
    return this.feeds.size;
  }

  /** Open sockets counted against an account's cap (null: platform principals). */
  connectionCount(accountId: string | null) {
    return this.admission.count(accountId);
  }

  async close() {
    clearInterval(this.revalidateTimer);
    clearInterval(this.pingTimer);
    for (const ws of this.wss.clients) ws.close(1001, 'Going away');
    this.groups.disposeAll();
    await this.feeds.disposeAll();
    await new Promise<void>((r) => this.wss.close(() => r()));
  }
}
