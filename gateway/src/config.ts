import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { rateLimitConfigFromEnv, type RateLimitConfig } from './rate-limit/config';
import { DEFAULT_PLAN_TIMEOUT_MS } from './planning/worker-planner';
import { DEFAULT_BREAKER, type BreakerConfig } from './breaker';
import { DEFAULT_MAX_RESPONSE_BYTES } from './datasource';
import {
  DEFAULT_DRAIN_MS,
  DEFAULT_PORTS,
  EnvReader,
  LOG_LEVELS,
  SUBGRAPH_NAMES,
  loadPrivateKey,
  loadPublicKey,
  tracingConfigFromEnv,
  type SubgraphName,
  type TracingConfig,
} from '@cockpit/kit/edge';

/** How the gateway trusts an OIDC issuer: by discovery + JWKS, or (dev issuer) by a local public key. */
export interface IssuerConfig {
  issuer: string;
  audience?: string;
  /** Local key instead of discovery (the `cockpit up` dev issuer). */
  publicKey?: KeyObject;
  algorithms?: string[];
}

export interface ClaimMapping {
  /** Dotted path (or a full claim name like Zitadel's `urn:zitadel:iam:org:project:roles`) to the roles. */
  rolesClaim: string;
  accountIdClaim: string;
  superAdminRoles: string[];
}

export interface GatewayConfig {
  /** Path or http(s) URL of the supergraph SDL. */
  supergraph: string;
  /** Subgraph URL overrides (COCKPIT_<NAME>_URL); the supergraph's URLs otherwise. */
  subgraphUrls: Partial<Record<SubgraphName, string>>;
  /** The gateway's own private key: signs the internal tokens that carry principals. */
  internalKey: KeyObject;
  /** Identity's public key: verifies the runtime-agent sessions identity signs with its own key. */
  identityPublicKey: KeyObject;
  masterKey?: string;
  issuers: IssuerConfig[];
  claims: ClaimMapping;
  /** TTL of cached API-key lookups and account statuses (≤ 30 s): how late a revocation or suspension may take effect on other replicas. */
  apiKeyCacheSeconds: number;
  /**
   * Minimum seconds between JWKS refetches an unknown `kid` may trigger (default 30):
   * bounds what a flood of random kids costs the IdP, and how soon a rotated key is picked up.
   */
  jwksCooldownSeconds?: number;
  allowedOrigins: string[];
  /** `NODE_ENV=production`: no introspection or GraphiQL unless asked for, no "did you mean" suggestions. */
  production: boolean;
  /** Who may introspect (default: everyone in development, nobody in production). */
  introspection?: IntrospectionMode;
  /** GraphiQL on `GET /graphql` for browsers (default: in development only). */
  graphiql?: boolean;
  logLevel: string;
  /** Rate limits by plan (default: in-process counters). */
  rateLimit?: RateLimitConfig;
  /**
   * `false` drops the HTTP edge's operation limits (tokens, depth, aliases, directives, cost, variables): only
   * `bench/edge.ts` sets it, to measure what they cost. Deliberately not an environment variable.
   */
  limits?: false;
  /**
   * `false` stops identical in-flight subgraph fetches of one principal's queries from sharing one call: only
   * `bench/edge.ts` sets it, to measure what sharing saves. Deliberately not an environment variable.
   */
  dedup?: false;
  /** Longest the query planner may spend on one operation before it is refused (INVALID_REQUEST); default 3000 ms. */
  planTimeoutMs?: number;
  /** The bearer token `/metrics` answers (COCKPIT_METRICS_TOKEN); without one the gateway serves no metrics. */
  metricsToken?: string;
  /** How long close() (SIGTERM) lets in-flight requests finish before their connections are closed (COCKPIT_DRAIN_MS, default 10 s). */
  drainMs?: number;
  /** Each subgraph's circuit breaker (COCKPIT_BREAKER_FAILURES, COCKPIT_BREAKER_COOLDOWN_MS; default 5 failures, 5 s). */
  breaker?: BreakerConfig;
  /** The largest answer accepted from one subgraph fetch (COCKPIT_SUBGRAPH_MAX_RESPONSE_BYTES; default 4 MiB). */
  maxSubgraphResponseBytes?: number;
  /**
   * The graphql-ws bridge's caps (code only): open sockets per account (default 1,000), unsent bytes per socket
   * (default 1 MiB), the keep-alive ping interval (default 30 s; a socket that misses a pong is terminated).
   */
  live?: { maxConnectionsPerAccount?: number; maxBufferedBytes?: number; pingMs?: number };
  /** Where the gateway exports its spans (the standard OTEL_* variables, kit tracing.ts); off when absent. */
  tracing?: TracingConfig;
}

/** `on`: every caller; `off`: nobody; `superadmin`: super admins only (schema tooling against a production gateway). */
export type IntrospectionMode = 'on' | 'off' | 'superadmin';

/** The edge settings `NODE_ENV` decides, read the same way by the standalone gateway and `cockpit up`. */
export function edgeSettingsFromEnv(
  r: EnvReader,
): Pick<
  GatewayConfig,
  'production' | 'introspection' | 'graphiql' | 'planTimeoutMs' | 'breaker' | 'maxSubgraphResponseBytes' | 'drainMs' | 'metricsToken'
> {
  const production = r.oneOf('NODE_ENV', ['production', 'development', 'test'], 'development') === 'production';
  return {
    metricsToken: r.optional('COCKPIT_METRICS_TOKEN'),
    drainMs: r.int('COCKPIT_DRAIN_MS', DEFAULT_DRAIN_MS, 0, 600_000),
    breaker: {
      failures: r.int('COCKPIT_BREAKER_FAILURES', DEFAULT_BREAKER.failures, 1, 1_000),
      cooldownMs: r.int('COCKPIT_BREAKER_COOLDOWN_MS', DEFAULT_BREAKER.cooldownMs, 10, 600_000),
    },
    maxSubgraphResponseBytes: r.int('COCKPIT_SUBGRAPH_MAX_RESPONSE_BYTES', DEFAULT_MAX_RESPONSE_BYTES, 1024, 1024 * 1024 * 1024),
    production,
    introspection: r.oneOf<IntrospectionMode>('COCKPIT_INTROSPECTION', ['on', 'off', 'superadmin'], production ? 'off' : 'on'),
    graphiql: r.oneOf('COCKPIT_GRAPHIQL', ['on', 'off'], production ? 'off' : 'on') === 'on',
    planTimeoutMs: r.int('COCKPIT_PLAN_TIMEOUT_MS', DEFAULT_PLAN_TIMEOUT_MS, 10, 60_000),
  };
}

export const DEFAULT_JWKS_COOLDOWN_SECONDS = 30;
/** Signature algorithms accepted from an OIDC issuer unless configured otherwise (never `none` or HMAC: the key is public). */
export const DEFAULT_ALGORITHMS = ['RS256', 'ES256', 'PS256', 'EdDSA'];

export const DEFAULT_CLAIMS: ClaimMapping = {
  rolesClaim: 'roles',
  accountIdClaim: 'cockpit_account_id',
  superAdminRoles: ['SUPER_ADMIN', 'super_admin'],
};

/** The standalone gateway's configuration, read once from the environment. */
export function gatewayConfigFromEnv(env = process.env): { config: GatewayConfig; port: number; host: string } {
  const r = new EnvReader(env);
  const port = r.int('PORT', DEFAULT_PORTS.gateway, 0, 65535);
  const host = r.string('HOST', '127.0.0.1');
  const keyFile = r.string('COCKPIT_GATEWAY_KEY_FILE');
  const identityKeyFile = r.string('COCKPIT_IDENTITY_PUBLIC_KEY_FILE');
  const subgraphUrls: GatewayConfig['subgraphUrls'] = {};
  for (const name of SUBGRAPH_NAMES) {
    const u = r.url(`COCKPIT_${name.toUpperCase()}_URL`);
    if (u) subgraphUrls[name] = u;
  }
  const issuers: IssuerConfig[] = [];
  const issuer = r.url('OIDC_ISSUER');
  if (issuer) issuers.push({ issuer, audience: r.optional('OIDC_AUDIENCE'), algorithms: r.list('OIDC_ALGORITHMS', DEFAULT_ALGORITHMS) });
  const devIssuerKey = r.optional('COCKPIT_DEV_ISSUER_PUBLIC_KEY_FILE');
  if (devIssuerKey)
    issuers.push({
      issuer: DEV_ISSUER,
      audience: 'cockpit',
      publicKey: loadPublicKey(readFileSync(devIssuerKey, 'utf8')),
      algorithms: ['EdDSA'],
    });
  const config: GatewayConfig = {
    supergraph: r.string('COCKPIT_SUPERGRAPH', 'schema/supergraph.graphql'),
    subgraphUrls,
    internalKey: keyFile ? loadPrivateKey(readFileSync(keyFile, 'utf8')) : (undefined as never),
    identityPublicKey: identityKeyFile ? loadPublicKey(readFileSync(identityKeyFile, 'utf8')) : (undefined as never),
    masterKey: r.optional('COCKPIT_MASTER_KEY'),
    issuers,
    claims: {
      rolesClaim: r.string('OIDC_ROLES_CLAIM', DEFAULT_CLAIMS.rolesClaim),
      accountIdClaim: r.string('OIDC_ACCOUNT_ID_CLAIM', DEFAULT_CLAIMS.accountIdClaim),
      superAdminRoles: r.list('OIDC_SUPER_ADMIN_ROLES', DEFAULT_CLAIMS.superAdminRoles),
    },
    apiKeyCacheSeconds: r.int('COCKPIT_API_KEY_CACHE_SECONDS', 30, 0, 30),
    jwksCooldownSeconds: r.int('OIDC_JWKS_COOLDOWN_SECONDS', DEFAULT_JWKS_COOLDOWN_SECONDS, 0, 3600),
    allowedOrigins: r.list('COCKPIT_ALLOWED_ORIGINS'),
    ...edgeSettingsFromEnv(r),
    logLevel: r.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    rateLimit: rateLimitConfigFromEnv(r),
    tracing: tracingConfigFromEnv(r),
  };
  r.done();
  return { config, port, host };
}

/** Issuer name of the local development issuer whose tokens `cockpit token` mints. */
export const DEV_ISSUER = 'cockpit-dev';
