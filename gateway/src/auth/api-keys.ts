import { createHash } from 'node:crypto';
import { apiKeyLookup, type ApiKeyLookup } from '@cockpit/contracts';
import type { IdentityClient } from './identity-client';
import { LookupCache } from './lookup-cache';

/** What identity answers about a key (the contract's type). */
export type ApiKeyRecord = ApiKeyLookup;

export const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * API keys are looked up by their sha256 through identity and cached briefly:
 * a revocation reaches every gateway at once through identity's
 * `credentials.changed` (`forgetAccount`), and within the TTL (≤ 30 s) should
 * that event be lost. The secret itself is never kept or logged, only its hash.
 */
export class ApiKeyCache {
  private readonly keys: LookupCache<ApiKeyRecord | null>;

  constructor(identity: IdentityClient, ttlMs: number) {
    this.keys = new LookupCache(ttlMs, async (hash) => (await identity(apiKeyLookup, { hash })).key);
  }

  /** The key whose secret hashes (sha256Hex) to `hash`, or null. */
  lookup(hash: string): Promise<ApiKeyRecord | null> {
    return this.keys.get(hash);
  }

  /** Nothing cached survives it. */
  clear() {
    this.keys.clear();
  }

  /** Drops every cached key of the account (null: platform keys and service accounts' keys). */
  forgetAccount(accountId: string | null) {
    this.keys.forget((_, key) => key !== null && key.accountId === accountId);
  }
}
