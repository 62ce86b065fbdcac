import type { KeyObject } from 'node:crypto';
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import type { CredentialsChanged } from '@cockpit/contracts';
import { GATEWAY_ISSUER, PLATFORM_ACCOUNT_ID, servicePrincipal, signInternalToken, type Logger } from '@cockpit/kit/edge';

const QUERY = 'subscription { credentialsChanged { eventId accountId reason cause } }';

/** A change as the gateway hears it; `accountId` null for platform credentials, `reason` UNKNOWN when unreadable. */
export type CredentialChange = Omit<CredentialsChanged, 'reason'> & { reason: CredentialsChanged['reason'] | 'UNKNOWN' | 'RECONNECTED' };

/**
 * Identity's `credentials.changed` events, heard on observability's platform
 * feed (its feed socket, as the gateway's own service identity). Every gateway
 * replica subscribes, so a revocation served by any of them is applied by all
 * at once. While the feed is down changes may be missed: each (re)connection
 * is reported as a RECONNECTED change of everything, so the caches start over.
 */
export class CredentialEvents extends EventEmitter<{ change: [CredentialChange] }> {
  private client?: Client;
  private stop?: () => void;

  constructor(private readonly opts: { feedUrl: () => string; internalKey: KeyObject; log: Logger; retryMs?: number }) {
    super();
  }

  start(): void {
    if (this.client) return;
    const client = createClient({
      url: this.opts.feedUrl(),
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      retryWait: () => new Promise((r) => setTimeout(r, this.opts.retryMs ?? 1000)),
      connectionParams: async () => ({
        token: await signInternalToken(this.opts.internalKey, 'observability', servicePrincipal(GATEWAY_ISSUER)),
        feed: 'platform',
      }),
      on: {
        connected: () => this.emit('change', { accountId: null, reason: 'RECONNECTED', cause: 'feed connected' }),
        error: (err) =>
          this.opts.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'credential feed unavailable; retrying'),
      },
    });
    this.client = client;
    this.stop = client.subscribe<{ credentialsChanged: CredentialChange & { eventId: string } }>(
      { query: QUERY },
      {
        next: (r) => {
          const c = r.data?.credentialsChanged;
          if (!c) return;
          const accountId = c.accountId === PLATFORM_ACCOUNT_ID ? null : (c.accountId?.toLowerCase() ?? null);
          this.emit('change', { accountId, reason: c.reason, cause: c.cause });
        },
        error: (err) => this.opts.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'credential feed ended'),
        complete: () => undefined,
      },
    );
  }

  async close(): Promise<void> {
    this.stop?.();
    const client = this.client;
    this.client = undefined;
    // graphql-ws's dispose rejects with the socket's error while a connection attempt is failing: nothing to close then
    await Promise.resolve(client?.dispose()).catch(() => undefined);
  }
}
