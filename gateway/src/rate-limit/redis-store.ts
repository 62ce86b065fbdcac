import Redis from 'ioredis';
import type { Logger } from '@cockpit/kit/edge';
import { MemoryStore, type Bucket, type BucketCount, type CounterStore } from './store';

/** One Lua script per decision: the increments and the limit test happen in Redis, atomically, in one round trip. */
const HIT = `
local out = {}
for i, k in ipairs(KEYS) do
  local n = redis.call('INCR', k)
  if n == 1 then redis.call('PEXPIRE', k, ARGV[1]) end
  local ttl = redis.call('PTTL', k)
  if ttl < 0 then redis.call('PEXPIRE', k, ARGV[1]); ttl = tonumber(ARGV[1]) end
  out[2 * i - 1] = n
  out[2 * i] = ttl
end
return out`;

/**
 * Connection slots are leases in a sorted set (score = expiry, Redis's clock): a
 * replica that dies without releasing its sockets frees their slots when the
 * leases lapse instead of holding them for ever.
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

const RENEW = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
for i, k in ipairs(KEYS) do
  redis.call('ZADD', k, now + tonumber(ARGV[1]), ARGV[i + 1])
  redis.call('PEXPIRE', k, ARGV[1])
end
return #KEYS`;

type Scripted = Redis & {
  rlHit(n: number, ...args: (string | number)[]): Promise<number[]>;
  rlAcquire(key: string, id: string, limit: number, leaseMs: number): Promise<number>;
  rlRenew(n: number, ...args: (string | number)[]): Promise<number>;
};

export interface RedisStoreOptions {
  url: string;
  log: Logger;
  /** How long a connection's slot lives without renewal (renewed every third of it). */
  leaseMs?: number;
  /** A command slower than this counts as Redis being unreachable. */
  commandTimeoutMs?: number;
  prefix?: string;
}

/**
 * Counters shared by every gateway replica. While Redis cannot be reached the
 * store fails over to this process's own counters (logged, at most every 30 s):
 * each replica then enforces the plan limits alone — the API stays up and still
 * bounded, a replica count's multiple of the budget at worst, until Redis is back.
 */
export class RedisStore implements CounterStore {
  private readonly redis: Scripted;
  private readonly local = new MemoryStore();
  /** Connection slots this replica holds in Redis (renewed), by id. */
  private readonly held = new Map<string, string>();
  private readonly prefix: string;
  private readonly leaseMs: number;
  private readonly renewTimer: NodeJS.Timeout;
  private lastWarning = 0;

  private constructor(private readonly opts: RedisStoreOptions) {
    this.prefix = opts.prefix ?? 'cockpit:rl:';
    this.leaseMs = opts.leaseMs ?? 60_000;
    // no offline queue: while disconnected a command fails at once (→ local counters) instead of waiting
    this.redis = new Redis(opts.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: opts.commandTimeoutMs ?? 1000,
      connectTimeout: 10_000,
      retryStrategy: (times) => Math.min(times * 200, 5000),
    }) as Scripted;
    this.redis.on('error', (err) => this.degraded(err));
    this.redis.defineCommand('rlHit', { lua: HIT });
    this.redis.defineCommand('rlAcquire', { numberOfKeys: 1, lua: ACQUIRE });
    this.redis.defineCommand('rlRenew', { lua: RENEW });
    this.renewTimer = setInterval(() => void this.renew(), Math.max(1000, this.leaseMs / 3));
    this.renewTimer.unref();
  }

  /** Connects before the first request so that every replica counts in Redis from the start; starts degraded when it can't. */
  static async connect(opts: RedisStoreOptions): Promise<RedisStore> {
    const store = new RedisStore(opts);
    await store.redis.connect().catch((err: Error) => store.degraded(err));
    return store;
  }

  async hit(buckets: Bucket[], windowMs: number): Promise<BucketCount[]> {
    try {
      const r = await this.redis.rlHit(buckets.length, ...buckets.map((b) => this.prefix + b.key), windowMs);
      return buckets.map((_, i) => ({ count: Number(r[2 * i]), resetMs: Number(r[2 * i + 1]) }));
    } catch (err) {
      this.degraded(err as Error);
      return this.local.hitNow(buckets, windowMs);
    }
  }

  async acquire(key: string, limit: number, id: string): Promise<boolean> {
    try {
      const ok = (await this.redis.rlAcquire(this.prefix + key, id, limit, this.leaseMs)) === 1;
      if (ok) this.held.set(id, key);
      return ok;
    } catch (err) {
      this.degraded(err as Error);
      return this.local.acquireNow(key, limit, id);
    }
  }

  release(key: string, id: string): void {
    if (!this.held.delete(id)) return this.local.release(key, id);
    this.redis.zrem(this.prefix + key, id).catch((err: Error) => this.degraded(err)); // else the lease lapses on its own
  }

  async close(): Promise<void> {
    clearInterval(this.renewTimer);
    this.redis.disconnect();
  }

  private async renew() {
    if (!this.held.size || this.redis.status !== 'ready') return;
    const entries = [...this.held];
    await this.redis
      .rlRenew(entries.length, ...entries.map(([, key]) => this.prefix + key), this.leaseMs, ...entries.map(([id]) => id))
      .catch((err: Error) => this.degraded(err));
  }

  private degraded(err: Error) {
    const now = Date.now();
    if (now - this.lastWarning < 30_000) return;
    this.lastWarning = now;
    this.opts.log.warn({ err: err.message }, 'rate-limit store (Redis) unreachable: this replica counts alone until it is back');
  }
}
