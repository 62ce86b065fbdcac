import type { KeyObject } from 'node:crypto';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { GATEWAY_ISSUER, servicePrincipal, signInternalToken, type Logger } from '@cockpit/kit/edge';

/** What the feed says of an event: enough to order, filter and resolve it. */
export interface FeedEvent {
  id: string;
  seq: number;
  cursor: string;
  type: string;
}

const FEED_QUERY = 'subscription Feed($after: String) { events(after: $after) { id seq cursor type } }';
/** The map key of the platform chain (principals acting on no account). */
const PLATFORM = '-';
const UNAVAILABLE = [{ message: 'Live feed unavailable', extensions: { code: 'UPSTREAM_ERROR' } }];

export interface FeedOptions {
  /** ws:// URL of observability's internal feed. */
  feedUrl: () => string;
  internalKey: KeyObject;
  log: Logger;
}

/** Who hears an account's feed: the subscriber groups of that account. */
export interface FeedListener {
  /** Every event of the account, in seq order, once. */
  event(ev: FeedEvent): void;
  /** The feed ended: completed (no errors) or failed. */
  end(errors?: readonly unknown[]): void;
}

/**
 * One upstream feed per account, whatever the number of subscribers: the
 * gateway's own service identity acting on the account holds one graphql-ws
 * connection and one live `events` subscription on observability, and every
 * event it yields (id, seq, cursor, type: no data) goes to each listener. What
 * a subscriber may see is decided when its group resolves the event, as it.
 */
export class AccountFeeds {
  private readonly feeds = new Map<string, AccountFeed>();

  constructor(private readonly opts: FeedOptions) {}

  /** Upstream feeds open (one per account followed, plus the platform chain's). */
  get size() {
    return this.feeds.size;
  }

  /** Starts hearing the account's feed (null: the platform chain), opening it for the first listener. */
  listen(accountId: string | null, listener: FeedListener): FeedLease {
    const key = accountId ?? PLATFORM;
    let feed = this.feeds.get(key);
    if (!feed || feed.ended) {
      const opened = new AccountFeed(accountId, this.opts, () => this.feeds.get(key) === opened && this.feeds.delete(key));
      this.feeds.set(key, opened);
      feed = opened;
    }
    const f = feed;
    f.listeners.add(listener);
    return {
      feed: f,
      stop: () => {
        if (!f.listeners.delete(listener) || f.listeners.size > 0) return;
        if (this.feeds.get(key) === f) this.feeds.delete(key);
        void f.dispose();
      },
    };
  }

  async disposeAll() {
    const all = [...this.feeds.values()];
    this.feeds.clear();
    await Promise.all(all.map((f) => f.dispose()));
  }
}

export interface FeedLease {
  feed: AccountFeed;
  stop(): void;
}

/** One account's upstream connection: the shared live subscription, and the replays of subscribers that catch up. */
export class AccountFeed {
  readonly listeners = new Set<FeedListener>();
  ended = false;
  private disposed = false;
  private readonly client: Client;
  private readonly live: AsyncIterableIterator<{ data?: { events?: FeedEvent } | null; errors?: readonly unknown[] }>;
  /**
   * The shared subscription's payload. graphql-ws sends this same object again when it
   * resubscribes after a reconnect, so keeping `after` at the last event heard makes the feed
   * resume there: what was committed while the connection was down is replayed, not lost.
   */
  private readonly request = { query: FEED_QUERY, variables: { after: null as string | null } };

  constructor(
    readonly accountId: string | null,
    private readonly opts: FeedOptions,
    private readonly onEnded: () => void,
  ) {
    const principal = { ...servicePrincipal(GATEWAY_ISSUER, `live-feed-${accountId ?? 'platform'}`), accountId };
    this.client = createClient({
      url: opts.feedUrl(),
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 5,
      connectionParams: async () => ({ token: await signInternalToken(opts.internalKey, 'observability', principal) }),
      // the client retries on its own; a failure that outlasts the retries ends the feed for every subscriber
      on: { error: (err) => opts.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'live feed connection failed') },
    });
    this.live = this.client.iterate(this.request);
    void this.follow();
  }

  /** Every event after `cursor`, then live ones, on the same connection: one subscriber's catch-up. */
  replay(after: string): AsyncIterableIterator<{ data?: { events?: FeedEvent } | null; errors?: readonly unknown[] }> {
    return this.client.iterate({ query: FEED_QUERY, variables: { after } });
  }

  private async follow() {
    let errors: readonly unknown[] | undefined;
    try {
      for await (const r of this.live) {
        if (r.errors?.length) {
          errors = r.errors;
          break;
        }
        const ev = r.data?.events;
        if (!ev) continue;
        this.request.variables.after = ev.cursor;
        for (const l of this.listeners) l.event(ev);
      }
    } catch (e) {
      if (!this.disposed) this.opts.log.warn({ err: e instanceof Error ? e.message : e }, 'live feed upstream failed');
      errors = Array.isArray(e) ? e : UNAVAILABLE;
    }
    this.ended = true;
    this.onEnded();
    if (this.disposed) return;
    for (const l of [...this.listeners]) l.end(errors);
    void this.closeClient();
  }

  async dispose() {
    this.disposed = true;
    await this.live.return?.();
    await this.closeClient();
  }

  /** graphql-ws's dispose rejects with the socket's error while a connection attempt is failing: nothing to close then. */
  private closeClient(): Promise<void> {
    return Promise.resolve(this.client.dispose()).catch(() => undefined);
  }
}
