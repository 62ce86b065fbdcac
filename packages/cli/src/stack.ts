import { createGateway, type Gateway, type GatewayConfig } from '@cockpit/gateway';
import { createIdentitySubgraph } from '@cockpit/identity';
import { createBudgetsSubgraph } from '@cockpit/budgets';
import { createCatalogSubgraph, generateSecretKeys } from '@cockpit/catalog';
import { createGuardrailsSubgraph } from '@cockpit/guardrails';
import { createObservabilitySubgraph, createInProcessBus } from '@cockpit/observability';
import {
  DEFAULT_PORTS,
  EMBEDDED_DB_BOUNDS,
  SUBGRAPH_NAMES,
  SERVICE_CALLS,
  callersOf,
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
import { gatewayConfigFor, listenAs, type KeyPair, type StackOptions } from './edge';

export * from './edge';

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
    const secretKeys = opts.secretKeys ?? generateSecretKeys('ephemeral');
    const base = (name: SubgraphName): SubgraphConfig => ({
      databaseUrl,
      gatewayPublicKey: opts.internalKey.publicKey,
      serviceKey: keys[name].privateKey,
      serviceKeys: callersOf(name).length ? Object.fromEntries(callersOf(name).map((n) => [n, keys[n].publicKey])) : undefined,
      observabilityUrl: () => urls.observability,
      serviceUrls: SERVICE_CALLS[name] && Object.fromEntries(SERVICE_CALLS[name].map((n) => [n, () => urls[n]])),
      log,
      onQuery: opts.onQuery,
      answerCacheMb: opts.answerCacheMb,
      dbBounds: opts.dbBounds ?? (embedded ? EMBEDDED_DB_BOUNDS : undefined),
      now: opts.now,
      secretKeys: name === 'catalog' ? secretKeys : undefined,
      tracing: opts.tracing,
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
      (c: SubgraphConfig) => Promise<BuiltSubgraph>,
    ][]) {
      subgraphs[name] = await create(base(name));
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

function newServiceKeys(): Record<SubgraphName, KeyPair> {
  const pair = () => {
    const k = generateInternalKeys();
    return { privateKey: loadPrivateKey(k.privateKeyPem), publicKey: loadPublicKey(k.publicKeyPem) };
  };
  return Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, pair()])) as Record<SubgraphName, KeyPair>;
}
