import { unauthorized } from '@cockpit/kit';
import type { IdentityClient } from './identity-client';
import { LookupCache } from './lookup-cache';

export const ACCOUNT_STATUS_PATH = '/internal/accounts/status';
/** A cached status older than this is still used while identity cannot be reached; beyond it, requests fail. */
const STALE_LIMIT_MS = 5 * 60_000;

/**
 * Account statuses behind JWTs and agent sessions (API-key lookups carry theirs),
 * cached for the same TTL as API keys: a suspension reaches every gateway within
 * it, and this one at once when it served the suspension (`clear`).
 */
export class AccountStatusCache {
  private readonly statuses: LookupCache<string | null>;

  constructor(identity: IdentityClient, ttlMs: number) {
    this.statuses = new LookupCache(
      ttlMs,
      async (accountId) =>
        (await identity<{ statuses: Record<string, string> }>(ACCOUNT_STATUS_PATH, { accountIds: [accountId] })).statuses[accountId] ??
        null,
      STALE_LIMIT_MS,
    );
  }

  /** Throws UNAUTHORIZED unless the account is ACTIVE (an unknown account is left to the subgraphs: NOT_FOUND there). */
  async requireActive(accountId: string): Promise<void> {
    const status = await this.statusOf(accountId);
    if (status === 'SUSPENDED') throw unauthorized('Account is suspended');
    if (status !== null && status !== 'ACTIVE') throw unauthorized('Account is not active');
  }

  statusOf(accountId: string): Promise<string | null> {
    return this.statuses.get(accountId);
  }

  /** After a suspension or reactivation through this gateway. */
  clear() {
    this.statuses.clear();
  }
}
