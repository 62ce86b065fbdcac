import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { DEFAULT_CLAIMS, type ClaimMapping, type GatewayConfig, type IssuerConfig, type RateLimitConfig } from '@cockpit/gateway';
import { DEFAULT_PORTS, type DbBounds, type Logger, type SubgraphName, type TracingConfig } from '@cockpit/kit/edge';
import type { LiveBus } from '@cockpit/observability';

/*
 * What the gateway side of the CLI needs: the stack's options, the gateway's
 * configuration and port naming. It loads no subgraph, ORM or database driver
 * (`cockpit up`'s gateway process imports this, not ./stack), so the process
 * that holds every live socket carries only the gateway's own code.
 */

export interface StackOptions {
  /** PostgreSQL URL; when absent an embedded PGlite is started (in `dataDir`, or in memory). */
  databaseUrl?: string;
  dataDir?: string;
  /** Where the embedded database's Unix socket lives (mode 0700; default a private temporary directory). */
  socketDir?: string;
  host?: string;
  /** Gateway port (0 = any); subgraphs listen on the next five (`port+1…port+5`) or, with `randomPorts`, on any free port. */
  port?: number;
  randomPorts?: boolean;
  /** The gateway's key pair: its internal tokens are the only ones that may speak for users. */
  internalKey: KeyPair;
  /** Each subgraph's own key pair (generated in memory when absent): signs its outbox delivery, identity's agent sessions. */
  serviceKeys?: Record<SubgraphName, KeyPair>;
  /** Observability's live bus (default: one in this process). */
  liveBus?: LiveBus;
  masterKey?: string;
  issuers?: IssuerConfig[];
  claims?: ClaimMapping;
  supergraph?: string;
  apiKeyCacheSeconds?: number;
  /** Minimum seconds between JWKS refetches on an unknown kid (gateway default 30). */
  jwksCooldownSeconds?: number;
  logLevel?: string;
  /** Where the stack logs (default: a logger at `logLevel` on stderr). */
  log?: Logger;
  /** Rate limits by plan (default: in-process counters). */
  rateLimit?: RateLimitConfig;
  onQuery?: (sql: string) => void;
  /** The subgraphs' answer cache bound in MiB (default 32; 0 disables it). */
  answerCacheMb?: number;
  /** The subgraphs' database wait bounds (default: the embedded database's when it is the one started here, else PostgreSQL's). */
  dbBounds?: Partial<DbBounds>;
  /** Catalog's key-encryption keys for connection secrets (`<kid>:<base64 32 bytes>[,…]`); a random in-memory key when absent. */
  secretKeys?: string;
  /** `NODE_ENV=production` and what it decides at the edge (introspection, GraphiQL); development by default. */
  edge?: Partial<
    Pick<
      GatewayConfig,
      'production' | 'introspection' | 'graphiql' | 'planTimeoutMs' | 'breaker' | 'maxSubgraphResponseBytes' | 'drainMs' | 'metricsToken'
    >
  >;
  /** The gateway's graphql-ws caps (tests, benchmarks). */
  live?: GatewayConfig['live'];
  /** The subgraphs' clock (SubgraphConfig.now): tests that cross a budget cycle move it; the real clock otherwise. */
  now?: () => Date;
  /** Where every service exports its spans (the OTEL_* variables); tracing is off when absent. */
  tracing?: TracingConfig;
}

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export const SUPERGRAPH_PATH = join(__dirname, '..', '..', '..', 'schema', 'supergraph.graphql');

/** The gateway's configuration for subgraphs at `subgraphUrls` (in this process or another). */
export function gatewayConfigFor(
  opts: StackOptions,
  subgraphUrls: Record<SubgraphName, string>,
  identityPublicKey: KeyObject,
): GatewayConfig {
  return {
    supergraph: opts.supergraph ?? SUPERGRAPH_PATH,
    subgraphUrls,
    internalKey: opts.internalKey.privateKey,
    identityPublicKey,
    masterKey: opts.masterKey,
    issuers: opts.issuers ?? [],
    claims: opts.claims ?? DEFAULT_CLAIMS,
    apiKeyCacheSeconds: opts.apiKeyCacheSeconds ?? 30,
    jwksCooldownSeconds: opts.jwksCooldownSeconds,
    allowedOrigins: [],
    production: false,
    ...opts.edge,
    logLevel: opts.logLevel ?? 'info',
    rateLimit: opts.rateLimit,
    live: opts.live,
    tracing: opts.tracing,
  };
}

/** A port another process holds, named by the service and by what moves it (`PORT`, the gateway's; the subgraphs follow it). */
export class PortInUseError extends Error {
  constructor(
    readonly service: SubgraphName | 'gateway',
    readonly port: number,
  ) {
    const offset = DEFAULT_PORTS[service] - DEFAULT_PORTS.gateway;
    super(
      `port ${port} (${service === 'gateway' ? 'the gateway, PORT' : `the ${service} subgraph, PORT+${offset}`}) is in use: ` +
        'set PORT to another base port (Cockpit uses PORT…PORT+5), PORT=0 for free ports, or stop the other instance',
    );
  }
}

export async function listenAs(
  service: SubgraphName | 'gateway',
  listen: (port: number) => Promise<string>,
  port: number,
): Promise<string> {
  try {
    return await listen(port);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(service, port);
    throw err;
  }
}
