import { randomUUID } from 'node:crypto';
import type { Logger, Principal } from '@cockpit/kit/edge';
import { PLAN_LIMITS, type PlanTier, type RateLimitConfig } from './config';
import { RedisStore } from './redis-store';
import { MemoryStore, type Bucket, type CounterStore } from './store';
import type { ConnectionTicket, EdgeLimiter, RateLimitVerdict } from './types';

const WINDOW_MS = 60_000;

export interface LimiterDeps {
  /** The account's plan tier (cached with its status); null for an unknown account, limited like FREE. */
  planOf(accountId: string): Promise<string | null>;
  log: Logger;
}

/** An EdgeLimiter that also tells the HTTP edge how many requests a credential may have in flight. */
export interface GatewayLimiter extends EdgeLimiter {
  readonly maxInFlight: number;
  /** The in-flight (concurrency) key of a principal, null when it is exempt from every limit. */
  credentialOf(principal: Principal): string | null;
  close(): Promise<void>;
}

/** The master key is break-glass: it must work while everything else is limited, and only operators hold it. */
const isMasterKey = (p: Principal) => p.kind === 'SERVICE' && p.subject === 'master-key';
const credentialKey = (p: Principal) => `${p.kind}:${p.subject}`;

/**
 * Who is charged for what:
 * - account principals (users, account API keys, agents): the account's bucket at its plan's rate, and an API key
 *   also its own bucket (`apiKeyRequestsPerMinute`, default the plan's); sockets count against the plan's connections;
 * - platform principals without an account of their own (super admins, platform keys, service accounts), also when
 *   they act on an account with X-Account-Id: their own credential's bucket at `platformRequestsPerMinute`, sockets
 *   unlimited — support work neither spends a customer's budget nor stops when the customer has spent it;
 * - a non-super-admin credential without an account: its own bucket at the FREE plan's rates;
 * - the master key: exempt.
 */
export async function createEdgeLimiter(config: RateLimitConfig, deps: LimiterDeps): Promise<GatewayLimiter | null> {
  if (config.store === 'off') return null;
  const store: CounterStore =
    config.store === 'redis'
      ? await RedisStore.connect({ url: config.redisUrl!, prefix: config.redisPrefix, log: deps.log })
      : new MemoryStore();

  let lastPlanWarning = 0;
  const planOf = async (accountId: string) => {
    let tier: string | null;
    try {
      tier = await deps.planOf(accountId);
    } catch (err) {
      // identity unreachable beyond the cache's stale window: like a Redis outage, limits never take the API down
      if (Date.now() - lastPlanWarning > 30_000) {
        lastPlanWarning = Date.now();
        deps.log.warn({ err: (err as Error).message, accountId }, 'plan tier unavailable: limiting as ENTERPRISE');
      }
      tier = 'ENTERPRISE';
    }
    return PLAN_LIMITS[(tier && tier in PLAN_LIMITS ? tier : 'FREE') as PlanTier];
  };

  async function buckets(p: Principal): Promise<Bucket[]> {
    if (p.superAdmin) return [{ key: `p:${credentialKey(p)}`, limit: config.platformRequestsPerMinute }];
    if (!p.accountId) return [{ key: `c:${credentialKey(p)}`, limit: PLAN_LIMITS.FREE.requestsPerMinute }];
    const plan = await planOf(p.accountId);
    const account = { key: `a:${p.accountId}`, limit: plan.requestsPerMinute };
    if (p.kind !== 'API_KEY') return [account];
    return [account, { key: `k:${p.subject}`, limit: config.apiKeyRequestsPerMinute || plan.requestsPerMinute }];
  }

  return {
    maxInFlight: config.maxInFlight,
    credentialOf: (p) => (isMasterKey(p) ? null : credentialKey(p)),

    async request(p): Promise<RateLimitVerdict> {
      if (isMasterKey(p)) return { allowed: true, limit: Infinity, remaining: Infinity, resetSeconds: 0, retryAfterSeconds: 0 };
      const bs = await buckets(p);
      const counts = await store.hit(bs, WINDOW_MS);
      // the verdict reports the bucket that binds: the first one over its limit, else the one with least left
      let at = 0;
      for (let i = 1; i < bs.length; i++) {
        const over = (j: number) => counts[j].count > bs[j].limit;
        const left = (j: number) => bs[j].limit - counts[j].count;
        if ((over(i) && !over(at)) || (over(i) === over(at) && left(i) < left(at))) at = i;
      }
      const { limit } = bs[at];
      const { count, resetMs } = counts[at];
      const allowed = counts.every((c, i) => c.count <= bs[i].limit);
      const resetSeconds = Math.max(1, Math.ceil(resetMs / 1000));
      return { allowed, limit, remaining: Math.max(0, limit - count), resetSeconds, retryAfterSeconds: allowed ? 0 : resetSeconds };
    },

    async openConnection(p): Promise<ConnectionTicket> {
      const free: ConnectionTicket = { allowed: true, limit: Infinity, release() {} };
      if (isMasterKey(p) || p.superAdmin) return free;
      const key = p.accountId ? `ws:a:${p.accountId}` : `ws:c:${credentialKey(p)}`;
      const limit = p.accountId ? (await planOf(p.accountId)).connections : PLAN_LIMITS.FREE.connections;
      if (limit === Infinity) return free;
      const id = randomUUID();
      if (!(await store.acquire(key, limit, id))) return { allowed: false, limit, release() {} };
      let released = false;
      return {
        allowed: true,
        limit,
        release() {
          if (released) return;
          released = true;
          store.release(key, id);
        },
      };
    },

    close: () => store.close(),
  };
}
