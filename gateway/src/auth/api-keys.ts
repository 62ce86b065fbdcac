import { createHash } from 'node:crypto';
import type { Role } from '@cockpit/kit';
import type { IdentityClient } from './identity-client';
import { LookupCache } from './lookup-cache';

const LOOKUP_PATH = '/internal/api-keys/lookup';

export interface ApiKeyRecord {
  id: string;
  accountId: string | null;
  userId: string | null;
  tier: 'ADMIN' | 'CLIENT';
  scopes: string[];
  modelAllowlist: string[];
  expiresAt: string | null;
  revokedAt: string | null;
  accountStatus: string | null;
  /** The bound user's status; DEACTIVATED keys are refused. */
  userStatus?: 'ACTIVE' | 'DEACTIVATED' | null;
  /** The roles identity computed for the key (a bound user's role); capped by the tier at the gateway. */
  roles?: Role[];
  /** A service account's key (ID8): a SERVICE principal bounded by these scopes. */
  serviceAccount?: { id: string; name: string; scopes: string[]; disabledAt: string | null } | null;
}

export const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * API keys are looked up by their sha256 through identity and cached briefly:
 * revocation reaches every gateway within the TTL (≤ 30 s) and this one at once
 * (`clear` after a `revokeApiKey` mutation it served). The secret itself is never kept or logged, only its hash.
 */
export class ApiKeyCache {
  private readonly keys: LookupCache<ApiKeyRecord | null>;

  constructor(identity: IdentityClient, ttlMs: number) {
    this.keys = new LookupCache(ttlMs, async (hash) => (await identity<{ key: ApiKeyRecord | null }>(LOOKUP_PATH, { hash })).key);
  }

  /** The key whose secret hashes (sha256Hex) to `hash`, or null. */
  lookup(hash: string): Promise<ApiKeyRecord | null> {
    return this.keys.get(hash);
  }

  /** After a revocation through this gateway: nothing cached survives it. */
  clear() {
    this.keys.clear();
  }
}
