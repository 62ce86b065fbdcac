import { EventEmitter } from 'node:events';
import { Client } from 'pg';
import type { Logger } from '@cockpit/kit';
import type { InProcessLiveBus, LiveListener, LiveMessage } from './live-bus';

export const LIVE_CHANNEL = 'cockpit_events';

/**
 * The bus across processes and replicas: PostgreSQL
 * LISTEN/NOTIFY on one dedicated connection, which also sends the NOTIFYs (in
 * order, since one connection runs its queries one after another). PostgreSQL
 * delivers a NOTIFY to every listening session, this one included, so local
 * subscribers hear their own replica's events through the same path.
 *
 * A notification lost while the connection is down only delays delivery: feed
 * subscribers read committed rows up to the next seq they hear of. Not usable
 * on PGlite, whose socket connections share one session.
 */
export async function createPostgresLiveBus(opts: {
  url: string;
  log: Logger;
  channel?: string;
  reconnectMs?: number;
}): Promise<InProcessLiveBus & { close(): Promise<void> }> {
  const channel = opts.channel ?? LIVE_CHANNEL;
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let client: Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const c = new Client({ connectionString: opts.url });
    c.on('notification', (n) => {
      if (n.channel !== channel || !n.payload) return;
      try {
        const msg = JSON.parse(n.payload) as LiveMessage;
        emitter.emit(msg.accountId, msg);
      } catch (err) {
        opts.log.warn({ err }, 'ignoring a malformed live bus notification');
      }
    });
    c.on('error', (err) => {
      opts.log.warn({ err: err.message }, 'live bus connection failed; reconnecting');
      c.end().catch(() => undefined);
      if (client === c) client = null;
      scheduleReconnect();
    });
    await c.connect();
    await c.query(`listen ${channel}`);
    client = c;
  };
  const scheduleReconnect = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch(() => scheduleReconnect());
    }, opts.reconnectMs ?? 1000);
    retry.unref();
  };
  await connect();

  return {
    publish(msg) {
      if (!client) return; // reconnecting: subscribers catch up on the next event
      client
        .query('select pg_notify($1, $2)', [channel, JSON.stringify({ accountId: msg.accountId, seq: msg.seq, id: msg.id })])
        .catch((err) => {
          opts.log.warn({ err: err.message }, 'live bus publish failed');
        });
    },
    subscribe(accountId, listener: LiveListener) {
      const safe: LiveListener = (msg) => {
        try {
          listener(msg);
        } catch {
          /* the subscriber's own problem */
        }
      };
      emitter.on(accountId, safe);
      return () => emitter.off(accountId, safe);
    },
    subscriberCount: (accountId) => emitter.listenerCount(accountId),
    async close() {
      closed = true;
      clearTimeout(retry);
      const c = client;
      client = null;
      await c?.end();
    },
  };
}
