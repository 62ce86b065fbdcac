import { bootstrapAdminKey, createIdentitySubgraph } from '@cockpit/identity';
import { freshDatabase, testKeys, testLogger, type BuiltSubgraph } from '@cockpit/kit';
import { AccountStatusCache } from '../src/auth/account-status';
import { ApiKeyCache, sha256Hex } from '../src/auth/api-keys';
import { identityClient } from '../src/auth/identity-client';
import type { LookupCache } from '../src/auth/lookup-cache';

/**
 * The gateway's credential caches against a real identity subgraph: a burst of
 * requests with one uncached key costs one lookup, and clear() (a revocation
 * served by this gateway) is not undone by an answer that was already in flight.
 */
describe('gateway auth caches', () => {
  const keys = testKeys();
  let db: { url: string; close(): Promise<void> };
  let identity: BuiltSubgraph;
  let url: string;
  let lookups = 0;
  /** Runs synchronously when identity has just read a key: its answer is not sent yet. */
  let onLookup: (() => void) | null = null;

  beforeAll(async () => {
    db = await freshDatabase();
    identity = await createIdentitySubgraph({
      databaseUrl: db.url,
      gatewayPublicKey: keys.publicKey,
      serviceKey: keys.privateKey,
      observabilityUrl: 'http://127.0.0.1:9/unused',
      log: testLogger(),
      onQuery: (sql) => {
        if (/from "?identity"?\."?api_key"?/.test(sql) && /hash/.test(sql)) {
          lookups++;
          onLookup?.();
        }
      },
    });
    url = await identity.listen();
  });
  afterAll(async () => {
    await identity.close();
    await db.close();
  });

  it('shares one lookup among concurrent misses for a key', async () => {
    const boot = await bootstrapAdminKey(identity.orm);
    if (!boot.created) throw new Error('expected a bootstrap key');
    const cache = new ApiKeyCache(
      identityClient(() => url, keys.privateKey),
      30_000,
    );
    const hash = sha256Hex(boot.secret);

    lookups = 0;
    expect(await cache.lookup(hash)).toMatchObject({ id: boot.keyId, tier: 'ADMIN', revokedAt: null });
    const one = lookups;
    expect(one).toBeGreaterThan(0);

    cache.clear();
    lookups = 0;
    const burst = await Promise.all(Array.from({ length: 20 }, () => cache.lookup(hash)));
    expect(new Set(burst.map((k) => k?.id))).toEqual(new Set([boot.keyId]));
    expect(lookups).toBe(one);
    // and warm: no lookup at all
    lookups = 0;
    await cache.lookup(hash);
    expect(lookups).toBe(0);
  });

  it('does not keep an answer that was in flight across clear()', async () => {
    const boot = await bootstrapAdminKey(identity.orm).then(async (b) =>
      b.created ? b : (await import('@cockpit/identity')).recoverAdminKey(identity.orm),
    );
    const cache = new ApiKeyCache(
      identityClient(() => url, keys.privateKey),
      30_000,
    );
    const hash = sha256Hex(boot.secret);
    // the revocation is served (clear()) while identity's answer, read before it, is on the way
    onLookup = () => {
      onLookup = null;
      cache.clear();
    };
    const inFlight = cache.lookup(hash);
    await inFlight;
    await identity.orm.em.getConnection().execute(`update identity.api_key set revoked_at = now() where id = ?`, [boot.keyId]);
    expect((await inFlight)?.revokedAt).toBeNull(); // that answer predates the revocation…
    expect((await cache.lookup(hash))?.revokedAt).not.toBeNull(); // …so the next request asks again
  });

  it('answers a burst of status checks alike, and keeps no status that was in flight across clear()', async () => {
    const cache = new AccountStatusCache(
      identityClient(() => url, keys.privateKey),
      30_000,
    );
    const account = '0193f000-0000-7000-8000-0000000000ee';
    const statuses = await Promise.all(Array.from({ length: 10 }, () => cache.statusOf(account)));
    expect(statuses).toEqual(Array(10).fill(null)); // unknown account
    const inFlight = cache.statusOf('0193f000-0000-7000-8000-0000000000ef');
    cache.clear();
    await inFlight;
    expect((cache as unknown as { statuses: LookupCache<unknown> }).statuses.size).toBe(0);
  });
});
