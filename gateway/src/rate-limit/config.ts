import type { EnvReader } from '@cockpit/kit/edge';

/** Requests per minute and open WebSocket connections per account, by plan (GW4). */
export const PLAN_LIMITS = {
  FREE: { requestsPerMinute: 60, connections: 1 },
  TEAM: { requestsPerMinute: 600, connections: 10 },
  ENTERPRISE: { requestsPerMinute: 6000, connections: Infinity },
} as const satisfies Record<string, { requestsPerMinute: number; connections: number }>;
export type PlanTier = keyof typeof PLAN_LIMITS;

export const RATE_LIMIT_STORES = ['memory', 'redis', 'off'] as const;

export interface RateLimitConfig {
  /** `memory`: counters in this process (one replica); `redis`: shared by every replica; `off`: no limits. */
  store: (typeof RATE_LIMIT_STORES)[number];
  /** Required with `store: 'redis'`. */
  redisUrl?: string;
  /** Prefix of every Redis key (default `cockpit:rl:`): deployments sharing one Redis count apart under distinct prefixes. */
  redisPrefix?: string;
  /** Each API key's own bucket per minute; 0 = its account plan's (a key may then use the whole budget). */
  apiKeyRequestsPerMinute: number;
  /** The bucket of each platform credential without an account (super-admin tokens and keys, service accounts). */
  platformRequestsPerMinute: number;
  /** Requests one credential may have in flight at once on one replica. */
  maxInFlight: number;
}

export const DEFAULT_REDIS_PREFIX = 'cockpit:rl:';

export const DEFAULT_RATE_LIMIT: RateLimitConfig = {
  store: 'memory',
  apiKeyRequestsPerMinute: 0,
  platformRequestsPerMinute: 6000,
  maxInFlight: 32,
};

/** The `COCKPIT_RATE_LIMIT_*` variables, for the standalone gateway and `cockpit up` alike. */
export function rateLimitConfigFromEnv(r: EnvReader): RateLimitConfig {
  const store = r.oneOf('COCKPIT_RATE_LIMIT_STORE', RATE_LIMIT_STORES, DEFAULT_RATE_LIMIT.store);
  const redisUrl = r.url('COCKPIT_REDIS_URL');
  // an unset URL with the redis store is a configuration error, reported with the others
  if (store === 'redis') r.string('COCKPIT_REDIS_URL');
  return {
    store,
    redisUrl,
    redisPrefix: r.string('COCKPIT_RATE_LIMIT_REDIS_PREFIX', DEFAULT_REDIS_PREFIX),
    apiKeyRequestsPerMinute: r.int('COCKPIT_RATE_LIMIT_API_KEY_RPM', DEFAULT_RATE_LIMIT.apiKeyRequestsPerMinute, 0, 1_000_000),
    platformRequestsPerMinute: r.int('COCKPIT_RATE_LIMIT_PLATFORM_RPM', DEFAULT_RATE_LIMIT.platformRequestsPerMinute, 1, 1_000_000),
    maxInFlight: r.int('COCKPIT_RATE_LIMIT_MAX_IN_FLIGHT', DEFAULT_RATE_LIMIT.maxInFlight, 1, 10_000),
  };
}
