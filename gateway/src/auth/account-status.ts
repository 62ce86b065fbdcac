import type { KeyObject } from 'node:crypto';
import { callInternal, servicePrincipal, unauthorized } from '@cockpit/kit';

export const ACCOUNT_STATUS_PATH = '/internal/accounts/status';
/** A cached status older than this is still used while identity cannot be reached; beyond it, requests fail. */
const STALE_LIMIT_MS = 5 * 60_000;

/**
 * Account statuses behind JWTs and agent sessions (API-key lookups carry theirs),
 * cached for the same TTL as API keys: a suspension reaches every gateway within
 * it, and this one at once when it served the suspension (`clear`).
 */
export class AccountStatusCache {
  private readonly cache = new Map<string, { at: number; status: string | null }>();
  private readonly inflight = new Map<string, Promise<string | null>>();
  private generation = 0;

  constructor(
    private readonly identityUrl: () => string,
    private readonly internalKey: KeyObject,
    private readonly ttlMs: number,
  ) {}

  /** Throws UNAUTHORIZED unless the account is ACTIVE (an unknown account is left to the subgraphs: NOT_FOUND there). */
  async requireActive(accountId: string): Promise<void> {
    const status = await this.statusOf(accountId);
    if (status === 'SUSPENDED') throw unauthorized('Account is suspended');
    if (status !== null && status !== 'ACTIVE') throw unauthorized('Account is not active');
  }

  async statusOf(accountId: string): Promise<string | null> {
    const hit = this.cache.get(accountId);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.status;
    let p = this.inflight.get(accountId);
    if (!p) {
      const pending: Promise<string | null> = this.fetch(accountId).finally(() => {
        if (this.inflight.get(accountId) === pending) this.inflight.delete(accountId);
      });
      this.inflight.set(accountId, (p = pending));
    }
    try {
      return await p;
    } catch (err) {
      if (hit && Date.now() - hit.at < STALE_LIMIT_MS) return hit.status;
      throw err;
    }
  }

  private async fetch(accountId: string): Promise<string | null> {
    const generation = this.generation;
    const { statuses } = await callInternal<{ statuses: Record<string, string> }>({
      url: `${this.identityUrl().replace(/\/graphql$/, '')}${ACCOUNT_STATUS_PATH}`,
      audience: 'identity',
      key: this.internalKey,
      principal: servicePrincipal('gateway'),
      body: { accountIds: [accountId] },
      timeoutMs: 5000,
    });
    const status = statuses[accountId] ?? null;
    // an answer that was in flight across a clear() may predate the change: use it, don't keep it
    if (generation !== this.generation) return status;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(accountId, { at: Date.now(), status });
    return status;
  }

  /** After a suspension or reactivation through this gateway. */
  clear() {
    this.generation++;
    this.inflight.clear();
    this.cache.clear();
  }
}
