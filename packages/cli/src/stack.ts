import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { createGateway, type ClaimMapping, type Gateway, type IssuerConfig, DEFAULT_CLAIMS } from '@cockpit/gateway';
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
  host?: string;
  /** Gateway port (0 = any); subgraphs get the default ports 4001… or, with `randomPorts`, any free port. */
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
  onQuery?: (sql: string) => void;
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
  subgraphs: Record<SubgraphName, BuiltSubgraph>;
  subgraphUrls: Record<SubgraphName, string>;
  log: Logger;
  close(): Promise<void>;
}

export const SUPERGRAPH_PATH = join(__dirname, '..', '..', '..', 'schema', 'supergraph.graphql');

/**
 * The whole of Cockpit in one process: database (embedded unless a URL is
 * given), five subgraphs and the gateway. `cockpit up` and the end-to-end tests
 * both start it here.
 */
export async function startStack(opts: StackOptions): Promise<Stack> {
  const host = opts.host ?? '127.0.0.1';
  const log = createLogger('cockpit', opts.logLevel ?? 'info');
  const embedded = opts.databaseUrl ? null : await startEmbeddedPostgres({ dataDir: opts.dataDir });
  const databaseUrl = opts.databaseUrl ?? embedded!.url;
  const started: { close(): Promise<void> }[] = [];
  try {
    const urls = {} as Record<SubgraphName, string>;
    const keys = { gateway: opts.internalKey, ...(opts.serviceKeys ?? newServiceKeys()) };
    const base = (name: SubgraphName): SubgraphConfig => ({
      databaseUrl,
      gatewayPublicKey: opts.internalKey.publicKey,
      serviceKey: keys[name].privateKey,
      // observability's ingest is the one internal route the other subgraphs call
      serviceKeys:
        name === 'observability'
          ? Object.fromEntries(SUBGRAPH_NAMES.filter((n) => n !== name).map((n) => [n, keys[n].publicKey]))
          : undefined,
      observabilityUrl: () => urls.observability,
      log,
      onQuery: opts.onQuery,
    });
    const portOf = (n: SubgraphName) => (opts.randomPorts ? 0 : DEFAULT_PORTS[n]);
    const subgraphs = {} as Record<SubgraphName, BuiltSubgraph>;
    // observability first: every other subgraph's outbox delivers to it
    subgraphs.observability = await createObservabilitySubgraph({ ...base('observability'), bus: opts.liveBus ?? createInProcessBus() });
    started.push(subgraphs.observability);
    urls.observability = await subgraphs.observability.listen(portOf('observability'), host);
    const factories = {
      identity: createIdentitySubgraph,
      budgets: createBudgetsSubgraph,
      catalog: createCatalogSubgraph,
      guardrails: createGuardrailsSubgraph,
    } as const;
    // PGlite is one session: migrate one subgraph at a time so start-up is deterministic
    for (const [name, create] of Object.entries(factories) as [
      Exclude<SubgraphName, 'observability'>,
      (c: SubgraphConfig) => Promise<BuiltSubgraph>,
    ][]) {
      subgraphs[name] = await create(base(name));
      started.push(subgraphs[name]);
      urls[name] = await subgraphs[name].listen(portOf(name), host);
    }
    const gateway = await createGateway(
      {
        supergraph: opts.supergraph ?? SUPERGRAPH_PATH,
        subgraphUrls: urls,
        internalKey: opts.internalKey.privateKey,
        identityPublicKey: keys.identity.publicKey,
        masterKey: opts.masterKey,
        issuers: opts.issuers ?? [],
        claims: opts.claims ?? DEFAULT_CLAIMS,
        apiKeyCacheSeconds: opts.apiKeyCacheSeconds ?? 30,
        jwksCooldownSeconds: opts.jwksCooldownSeconds,
        allowedOrigins: [],
        production: false,
        logLevel: opts.logLevel ?? 'info',
      },
      log.child({ service: 'gateway' }),
    );
    started.push(gateway);
    const url = await gateway.listen(opts.port ?? DEFAULT_PORTS.gateway, host);
    return {
      url,
      keys,
      wsUrl: url.replace(/^http/, 'ws'),
      databaseUrl,
      gateway,
      subgraphs,
      subgraphUrls: urls,
      log,
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

function newServiceKeys(): Record<SubgraphName, KeyPair> {
  const pair = () => {
    const k = generateInternalKeys();
    return { privateKey: loadPrivateKey(k.privateKeyPem), publicKey: loadPublicKey(k.publicKeyPem) };
  };
  return Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, pair()])) as Record<SubgraphName, KeyPair>;
}
