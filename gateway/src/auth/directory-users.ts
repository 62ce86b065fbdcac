import DataLoader from 'dataloader';
import { directoryPrincipals, type DirectoryLookup, type DirectoryPrincipal } from '@cockpit/contracts';
import type { IdentityClient } from './identity-client';
import { LookupCache } from './lookup-cache';

const keyOf = (l: DirectoryLookup) => ('email' in l ? `${l.accountId}\u0000e:${l.email}` : `${l.accountId}\u0000u:${l.userId}`);
const lookupOf = (key: string): DirectoryLookup => {
  const [accountId, rest] = key.split('\u0000');
  return rest.startsWith('e:') ? { accountId, email: rest.slice(2) } : { accountId, userId: rest.slice(2) };
};

/**
 * The directory user behind a credential (its id, teams, orgs and account-admin
 * grant), from identity's batch route: concurrent misses of one tick go in one
 * request, answers are cached like API keys and dropped per account when
 * identity's `credentials.changed` arrives (memberships, grants, statuses).
 */
export class DirectoryUsers {
  private readonly cache: LookupCache<DirectoryPrincipal>;

  constructor(identity: IdentityClient, ttlMs: number) {
    const batch = new DataLoader<string, DirectoryPrincipal>(
      async (keys) => (await identity(directoryPrincipals, { lookups: keys.map(lookupOf) })).principals,
      { cache: false, maxBatchSize: 100 },
    );
    this.cache = new LookupCache(ttlMs, (key) => batch.load(key));
  }

  /** By the login's email (lowercased) on the account. */
  byEmail(accountId: string, email: string): Promise<DirectoryPrincipal> {
    return this.cache.get(keyOf({ accountId: accountId.toLowerCase(), email: email.trim().toLowerCase() }));
  }

  byUserId(accountId: string, userId: string): Promise<DirectoryPrincipal> {
    return this.cache.get(keyOf({ accountId: accountId.toLowerCase(), userId: userId.toLowerCase() }));
  }

  clear() {
    this.cache.clear();
  }

  forgetAccount(accountId: string) {
    this.cache.forget((key) => key.startsWith(`${accountId}\u0000`));
  }
}
