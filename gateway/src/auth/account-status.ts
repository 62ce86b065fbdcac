import { accountStatus } from '@cockpit/contracts';
import { unauthorized } from '@cockpit/kit/edge';
import type { IdentityClient } from './identity-client';
import { LookupCache } from './lookup-cache';

/** A cached status older than this is still used while identity cannot be reached; beyond it, requests fail. */
const STALE_LIMIT_MS = 5 * 60_000;

/** What the gateway needs to know about an account: whether it may act, and the plan its rate limits follow. */
export interface AccountStanding {
  status: string;
  planTier: string | null;
}

/**
 * Account statuses and plan tiers (one identity answer), cached for the same TTL
 * as API keys: a suspension or a plan change reaches every gateway within it,
 * and every one at once when identity's `credentials.changed` reaches it (`forget`).
 */
export class AccountStatusCache {
  private readonly statuses: LookupCache<AccountStanding | null>;

  constructor(identity: IdentityClient, ttlMs: number) {
    this.statuses = new LookupCache(
      ttlMs,
      async (accountId) => {
        const a = await identity(accountStatus, { accountIds: [accountId] });
        const status = a.statuses[accountId];
        return status ? { status, planTier: a.planTiers[accountId] ?? null } : null;
      },
      STALE_LIMIT_MS,
    );
  }

  /** Throws UNAUTHORIZED unless the account is ACTIVE (an unknown account is left to the subgraphs: NOT_FOUND there). */
  async requireActive(accountId: string): Promise<void> {
    const status = await this.statusOf(accountId);
    if (status === 'SUSPENDED') throw unauthorized('Account is suspended');
    if (status !== null && status !== 'ACTIVE') throw unauthorized('Account is not active');
  }

  async statusOf(accountId: string): Promise<string | null> {
    return (await this.statuses.get(accountId))?.status ?? null;
  }

  /** The account's plan tier (FREE, TEAM, ENTERPRISE), null for an unknown account. */
  async planOf(accountId: string): Promise<string | null> {
    return (await this.statuses.get(accountId))?.planTier ?? null;
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
