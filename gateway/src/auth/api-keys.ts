import { createHash } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { callInternal, servicePrincipal, type Role } from '@cockpit/kit';

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
  private readonly cache = new Map<string, { at: number; key: ApiKeyRecord | null }>();
  private readonly inflight = new Map<string, Promise<ApiKeyRecord | null>>();
  private generation = 0;
  constructor(
    private readonly identityUrl: () => string,
    private readonly internalKey: KeyObject,
    private readonly ttlMs: number,
  ) {}

  /** The key whose secret hashes (sha256Hex) to `hash`, or null; concurrent misses for one key share one lookup. */
  async lookup(hash: string): Promise<ApiKeyRecord | null> {
    const hit = this.cache.get(hash);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.key;
    const inflight = this.inflight.get(hash);
    if (inflight) return inflight;
    const pending: Promise<ApiKeyRecord | null> = this.fetch(hash).finally(() => {
      if (this.inflight.get(hash) === pending) this.inflight.delete(hash);
    });
    this.inflight.set(hash, pending);
    return pending;
  }

  private async fetch(hash: string): Promise<ApiKeyRecord | null> {
    const generation = this.generation;
    const { key } = await callInternal<{ key: ApiKeyRecord | null }>({
      url: `${this.identityUrl().replace(/\/graphql$/, '')}/internal/api-keys/lookup`,
      audience: 'identity',
      key: this.internalKey,
      principal: servicePrincipal('gateway'),
      body: { hash },
      timeoutMs: 5000,
    });
    // an answer that was in flight across a clear() may predate the revocation: use it, don't keep it
    if (generation !== this.generation) return key;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { at: Date.now(), key });
    return key;
  }

  /** After a revocation through this gateway: nothing cached survives it. */
  clear() {
    this.generation++;
    this.inflight.clear();
    this.cache.clear();
  }
}
