import { accountStatus } from '@cockpit/contracts';
import { unauthorized } from '@cockpit/kit';
import type { IdentityClient } from './identity-client';
import { LookupCache } from './lookup-cache';

/** A cached status older than this is still used while identity cannot be reached; beyond it, requests fail. */
const STALE_LIMIT_MS = 5 * 60_000;

/**
 * Account statuses behind JWTs and agent sessions (API-key lookups carry theirs),
 * cached for the same TTL as API keys: a suspension reaches every gateway within
 * it, and every one at once when identity's `credentials.changed` reaches it (`forget`).
 */
export class AccountStatusCache {
  private readonly statuses: LookupCache<string | null>;

  constructor(identity: IdentityClient, ttlMs: number) {
    this.statuses = new LookupCache(
      ttlMs,
      async (accountId) => (await identity(accountStatus, { accountIds: [accountId] })).statuses[accountId] ?? null,
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

  /** Nothing cached survives it. */
  clear() {
    this.statuses.clear();
  }

  /** After a change to this account's status. */
  forget(accountId: string) {
    this.statuses.forget((id) => id === accountId);
  }
}
