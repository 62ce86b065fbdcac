import { ssoIssuers, type SsoIssuer } from '@cockpit/contracts';
import type { Logger } from '@cockpit/kit/edge';
import type { IdentityClient } from './identity-client';

export type { SsoIssuer } from '@cockpit/contracts';

const REFRESH_MS = 30_000;
/** An unknown `iss` may trigger a refetch at most this often: random issuers cannot hammer identity. */
const UNKNOWN_ISSUER_COOLDOWN_MS = 1000;

/**
 * The per-account issuers, fetched from identity and cached: refreshed when
 * older than 30 s and when a token names an issuer not in the list (at most once
 * a second). A failed refresh keeps the last list, so an identity hiccup does not
 * log every SSO user out.
 */
export class SsoIssuerRegistry {
  private byIssuer = new Map<string, SsoIssuer>();
  private fetchedAt = -Infinity;
  private lastAttempt = -Infinity;
  private inflight?: Promise<void>;

  constructor(
    private readonly identity: IdentityClient,
    private readonly log?: Logger,
  ) {}

  async find(issuer: string): Promise<SsoIssuer | undefined> {
    if (Date.now() - this.fetchedAt >= REFRESH_MS) await this.refresh();
    else if (!this.byIssuer.has(issuer) && Date.now() - this.lastAttempt >= UNKNOWN_ISSUER_COOLDOWN_MS) await this.refresh();
    return this.byIssuer.get(issuer);
  }

  /** After `setAccountSso` through this gateway: the next token re-reads the list. */
  invalidate(): void {
    this.fetchedAt = -Infinity;
    this.lastAttempt = -Infinity;
  }

  private refresh(): Promise<void> {
    this.inflight ??= (async () => {
      this.lastAttempt = Date.now();
      try {
        const { issuers } = await this.identity(ssoIssuers, {});
        const next = new Map<string, SsoIssuer>();
        for (const i of issuers) {
          // identity keeps issuers unique; should two accounts still claim one, trust neither
          if (next.has(i.issuer)) {
            this.log?.warn({ issuer: i.issuer }, 'SSO issuer configured for several accounts; ignored');
            next.set(i.issuer, { ...i, accountId: '' });
          } else next.set(i.issuer, i);
        }
        for (const [k, v] of next) if (!v.accountId) next.delete(k);
        this.byIssuer = next;
        this.fetchedAt = Date.now();
      } catch (err) {
        this.log?.warn({ err }, 'could not refresh SSO issuers; keeping the last list');
        // try again after the cooldown rather than on every request
        this.fetchedAt = Date.now() - REFRESH_MS + UNKNOWN_ISSUER_COOLDOWN_MS;
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }
}
