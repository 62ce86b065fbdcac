import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import {
  createGateway,
  type ClaimMapping,
  type Gateway,
  type GatewayConfig,
  type IssuerConfig,
  type RateLimitConfig,
  DEFAULT_CLAIMS,
} from '@cockpit/gateway';
import { createIdentitySubgraph } from '@cockpit/identity';
import { createBudgetsSubgraph } from '@cockpit/budgets';
import { createCatalogSubgraph } from '@cockpit/catalog';
import { createGuardrailsSubgraph } from '@cockpit/guardrails';
import { createObservabilitySubgraph, createInProcessBus, type LiveBus } from '@cockpit/observability';
import {
  DEFAULT_PORTS,
  SUBGRAPH_NAMES,
  createLogger,
  generateInternalKeys,
  loadPrivateKey,
  loadPublicKey,
  startEmbeddedPostgres,
  type BuiltSubgraph,
  type Logger,
  type SubgraphConfig,
  type SubgraphName,
} from '@cockpit/kit';

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
  /** `NODE_ENV=production` and what it decides at the edge (introspection, GraphiQL); development by default. */
  edge?: Partial<Pick<GatewayConfig, 'production' | 'introspection' | 'graphiql' | 'planTimeoutMs'>>;
  /** The gateway's graphql-ws caps (tests, benchmarks). */
  live?: GatewayConfig['live'];
}

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface Stack {
  url: string;
  /** Every service's key pair, the gateway's included. */
  keys: Record<SubgraphName | 'gateway', KeyPair>;
  wsUrl: string;
  databaseUrl: string;
  gateway: Gateway;
  /** What the stack's gateway was built with: another gateway on the same subgraphs starts from it (`{ ...gatewayConfig, planTimeoutMs: 1 }`). */
  gatewayConfig: GatewayConfig;
  subgraphs: Record<SubgraphName, BuiltSubgraph>;
  subgraphUrls: Record<SubgraphName, string>;
  log: Logger;
  close(): Promise<void>;
}

export const SUPERGRAPH_PATH = join(__dirname, '..', '..', '..', 'schema', 'supergraph.graphql');

/** The database and the five subgraphs of a stack: what `cockpit up` runs in its subgraph process. */
export interface SubgraphSet {
  keys: Record<SubgraphName | 'gateway', KeyPair>;
  databaseUrl: string;
  subgraphs: Record<SubgraphName, BuiltSubgraph>;
  subgraphUrls: Record<SubgraphName, string>;
  close(): Promise<void>;
}

/**
 * The whole of Cockpit in one process: database (embedded unless a URL is
 * given), five subgraphs and the gateway. The end-to-end tests start it here,
 * and `cockpit up` with `COCKPIT_PROCESSES=1` (otherwise it runs the subgraphs
 * in a child process: `startSubgraphs` there, `gatewayConfigFor` here).
 */
export async function startStack(opts: StackOptions): Promise<Stack> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? createLogger('cockpit', opts.logLevel ?? 'info');
  const set = await startSubgraphs(opts, log);
  try {
    const gatewayConfig = gatewayConfigFor(opts, set.subgraphUrls, set.keys.identity.publicKey);
    const gateway = await createGateway(gatewayConfig, log.child({ service: 'gateway' }));
    try {
      const url = await listenAs('gateway', (p) => gateway.listen(p, host), opts.port ?? DEFAULT_PORTS.gateway);
      return {
        url,
        keys: set.keys,
        wsUrl: url.replace(/^http/, 'ws'),
        databaseUrl: set.databaseUrl,
        gateway,
        gatewayConfig,
        subgraphs: set.subgraphs,
        subgraphUrls: set.subgraphUrls,
        log,
        async close() {
          await gateway.close();
          await set.close();
        },
      };
    } catch (err) {
      await gateway.close().catch(() => {});
      throw err;
    }
  } catch (err) {
    await set.close();
    throw err;
  }
}

/** The database (embedded unless a URL is given) and the five subgraphs, listening; no gateway. */
export async function startSubgraphs(opts: StackOptions, log: Logger): Promise<SubgraphSet> {
  const host = opts.host ?? '127.0.0.1';
  const embedded = opts.databaseUrl ? null : await startEmbeddedPostgres({ dataDir: opts.dataDir, socketDir: opts.socketDir });
  const databaseUrl = opts.databaseUrl ?? embedded!.url;
  const started: { close(): Promise<void> }[] = [];
  try {
    const urls = {} as Record<SubgraphName, string>;
    const keys = { gateway: opts.internalKey, ...(opts.serviceKeys ?? newServiceKeys()) };
    const base = (name: SubgraphName): SubgraphConfig => ({
      databaseUrl,
      gatewayPublicKey: opts.internalKey.publicKey,
      serviceKey: keys[name].privateKey,
      // observability's ingest is called by the other subgraphs, identity's directory scopes by budgets
      serviceKeys:
        name === 'observability'
          ? Object.fromEntries(SUBGRAPH_NAMES.filter((n) => n !== name).map((n) => [n, keys[n].publicKey]))
          : name === 'identity'
            ? { budgets: keys.budgets.publicKey }
            : undefined,
      observabilityUrl: () => urls.observability,
      log,
      onQuery: opts.onQuery,
      answerCacheMb: opts.answerCacheMb,
    });
    const gatewayPort = opts.port ?? DEFAULT_PORTS.gateway;
    const portOf = (n: SubgraphName) => (opts.randomPorts ? 0 : gatewayPort + DEFAULT_PORTS[n] - DEFAULT_PORTS.gateway);
    const subgraphs = {} as Record<SubgraphName, BuiltSubgraph>;
    // observability first: every other subgraph's outbox delivers to it
    subgraphs.observability = await createObservabilitySubgraph({ ...base('observability'), bus: opts.liveBus ?? createInProcessBus() });
    started.push(subgraphs.observability);
    urls.observability = await listenAs('observability', (p) => subgraphs.observability.listen(p, host), portOf('observability'));
    const factories = {
      identity: createIdentitySubgraph,
      budgets: createBudgetsSubgraph,
      catalog: createCatalogSubgraph,
      guardrails: createGuardrailsSubgraph,
    } as const;
    // PGlite is one session: migrate one subgraph at a time so start-up is deterministic
    for (const [name, create] of Object.entries(factories) as [
      Exclude<SubgraphName, 'observability'>,
      (c: SubgraphConfig & { identityUrl?: () => string }) => Promise<BuiltSubgraph>,
    ][]) {
      subgraphs[name] = await create(name === 'budgets' ? { ...base(name), identityUrl: () => urls.identity } : base(name));
      started.push(subgraphs[name]);
      urls[name] = await listenAs(name, (p) => subgraphs[name].listen(p, host), portOf(name));
    }
    return {
      keys,
      databaseUrl,
      subgraphs,
      subgraphUrls: urls,
      async close() {
        for (const s of started.reverse()) await s.close();
        await embedded?.close();
      },
    };
  } catch (err) {
    for (const s of started.reverse()) await s.close().catch(() => {});
    await embedded?.close();
    throw err;
  }
}

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

function newServiceKeys(): Record<SubgraphName, KeyPair> {
  const pair = () => {
    const k = generateInternalKeys();
    return { privateKey: loadPrivateKey(k.privateKeyPem), publicKey: loadPublicKey(k.publicKeyPem) };
  };
  return Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, pair()])) as Record<SubgraphName, KeyPair>;
}
