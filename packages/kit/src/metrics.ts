/**
 * Prometheus metrics (prom-client), one registry per process: `cockpit up` runs the five subgraphs in one
 * process, so every series carries the `service` it is about. Served on `/metrics` by the gateway and each
 * subgraph. Nothing here imports the ORM or the database driver (the gateway loads it through the edge entry).
 */
import type { ServerResponse } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'cockpit_' });

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const graphqlRequests = new Histogram({
  name: 'cockpit_graphql_request_duration_seconds',
  help: 'GraphQL operations served, by service, operation name and outcome (ok: no errors)',
  labelNames: ['service', 'operation', 'outcome'] as const,
  buckets: SECONDS,
  registers: [metricsRegistry],
});

export const graphqlErrors = new Counter({
  name: 'cockpit_graphql_errors_total',
  help: 'Errors in GraphQL answers, by service and extensions.code',
  labelNames: ['service', 'code'] as const,
  registers: [metricsRegistry],
});

export const subgraphFetches = new Histogram({
  name: 'cockpit_subgraph_fetch_duration_seconds',
  help: "The gateway's fetches from each subgraph, by outcome (ok, failed, refused: breaker open)",
  labelNames: ['subgraph', 'outcome'] as const,
  buckets: SECONDS,
  registers: [metricsRegistry],
});

export const ingestedEvents = new Counter({
  name: 'cockpit_ingested_events_total',
  help: "Events observability's ingest appended to the audit chains, by the service that sent them",
  labelNames: ['from'] as const,
  registers: [metricsRegistry],
});

/** Gauges read when scraped: each source adds its series (a subgraph's pool and outbox, the gateway's sockets and breakers). */
type GaugeSource = () => Promise<Record<string, number>> | Record<string, number>;
const gaugeSources = new Map<string, { labels: Record<string, string>; read: GaugeSource }>();
const gauges = new Map<string, Gauge>();

/**
 * Every source read once per scrape: the gauges' `collect`s of one scrape share one round of reads (a
 * subgraph's outbox statement runs once, not once per gauge). A round ends when its reads are done; the
 * next scrape starts a new one.
 */
let round: Promise<Map<string, Record<string, number>>> | undefined;
function readSources(): Promise<Map<string, Record<string, number>>> {
  if (!round) {
    round = (async () => {
      const entries = await Promise.all(
        [...gaugeSources].map(async ([k, s]) => [k, await Promise.resolve(s.read()).catch(() => ({}) as Record<string, number>)] as const),
      );
      return new Map(entries);
    })();
    // kept until every gauge of this scrape has collected (prom-client collects them in one pass)
    const current = round;
    setImmediate(() => {
      if (round === current) round = undefined;
    });
  }
  return round;
}

/**
 * Registers named gauges read at scrape time (`read` answers metric name → value) under the given labels;
 * returns the function that removes them (a closed server).
 */
export function addGauges(key: string, labels: Record<string, string>, help: Record<string, string>, read: GaugeSource): () => void {
  for (const [name, text] of Object.entries(help))
    if (!gauges.has(name)) {
      gauges.set(
        name,
        new Gauge({
          name,
          help: text,
          labelNames: Object.keys(labels),
          registers: [metricsRegistry],
          async collect() {
            this.reset();
            for (const [sourceKey, values] of await readSources())
              if (name in values) this.set(gaugeSources.get(sourceKey)?.labels ?? {}, values[name]);
          },
        }),
      );
    }
  gaugeSources.set(key, { labels, read });
  return () => gaugeSources.delete(key);
}

/** Operation names are the client's to choose: past this many distinct ones, new names count as `other`. */
const MAX_OPERATION_NAMES = 200;
const operationNames = new Set<string>();
function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  if (operationNames.has(name)) return name;
  if (operationNames.size >= MAX_OPERATION_NAMES || !/^[_A-Za-z][_0-9A-Za-z]{0,99}$/.test(name)) return 'other';
  operationNames.add(name);
  return name;
}

/** An Apollo Server plugin that times every operation and counts its errors by code. */
export function metricsPlugin<C extends BaseContext>(service: string): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const end = graphqlRequests.startTimer({ service });
      return {
        async willSendResponse({ operationName, request, response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          for (const e of errors ?? []) graphqlErrors.inc({ service, code: String(e.extensions?.code ?? 'INTERNAL_ERROR') });
          // a subgraph's fetches are named by the gateway's planner after the client's operation (`Dashboard__identity__0`)
          const name = (operationName ?? request.operationName)?.replace(/__[A-Za-z0-9_]+__\d+$/, '');
          end({ operation: operationLabel(name), outcome: errors?.length ? 'error' : 'ok' });
        },
      };
    },
  };
}

/** Writes the registry in Prometheus' text format. */
export async function sendMetrics(res: ServerResponse): Promise<void> {
  const body = await metricsRegistry.metrics();
  res.writeHead(200, { 'content-type': metricsRegistry.contentType, 'cache-control': 'no-store' });
  res.end(body);
}
