import type { KeyObject } from 'node:crypto';
import { Kind, type DocumentNode, type GraphQLFieldResolver } from 'graphql';
import type { EntitySchema, MikroORM } from '@mikro-orm/postgresql';
import type { MigrationObject } from '@mikro-orm/core';
import { actingScope, fieldRules, subgraphTypeDefs, type FieldRule } from './authorize';
import type { RequestContext } from './context';
import type { Cacheable } from './answer-cache';
import { DEFAULT_ANSWER_CACHE_MB } from './config';
import type { EntitiesCap } from './entities-cap';
import type { DbBounds } from './config';
import { createOrm, migrate } from './db';
import { eventChecker, type EventCatalogue } from './events';
import type { Logger } from './log';
import { startOutboxRelay, type EventInput, type OutboxEvent } from './outbox';
import { scalarResolvers } from './scalars';
import { addGauges } from './metrics';
import { uuidv7 } from './ids';
import { createSubgraphServer, type InternalRoute, type SubgraphServer } from './server';
import { callInternal, servicePrincipal } from './service-client';
import { createTracing, type TracingConfig } from './tracing';

/** What every subgraph factory takes; each service's `main.ts` builds it from the environment. */
export interface SubgraphConfig {
  databaseUrl: string;
  gatewayPublicKey: KeyObject;
  /** This service's own private key: signs its calls to other services (outbox delivery) as itself. */
  serviceKey: KeyObject;
  /** Public keys of the services that may call this one's internal routes (observability: the other four), by name. */
  serviceKeys?: Readonly<Record<string, KeyObject | undefined>>;
  /** Base URL of observability (e.g. http://127.0.0.1:4005); resolved lazily so it may be known late. */
  observabilityUrl: string | (() => string);
  /** Base URLs of the other services whose internal routes this one calls (`ctx.callService`), by name; resolved lazily. */
  serviceUrls?: Readonly<Record<string, string | (() => string) | undefined>>;
  log: Logger;
  /** Sees every SQL statement (benchmarks). */
  onQuery?: (sql: string) => void;
  /** Bound of the exact answer cache in MiB (COCKPIT_ANSWER_CACHE_MB, default 32); 0 disables it. */
  answerCacheMb?: number;
  /** How long a stopping subgraph lets in-flight requests finish (COCKPIT_DRAIN_MS, default 10 s). */
  drainMs?: number;
  /** Connections of the subgraph's pool (`COCKPIT_DB_POOL_MAX`, default 8). */
  dbPoolMax?: number;
  /** How long a request waits on the database (`COCKPIT_DB_*_TIMEOUT_MS`; config.ts `DbBounds`). */
  dbBounds?: Partial<DbBounds>;
  /** Representations `_entities` may carry per request, in all and of one type (COCKPIT_ENTITIES_MAX, _PER_TYPE). */
  entitiesCap?: EntitiesCap;
  /** The clock requests read (`ctx.now()`); the real one unless a test stack moves time (budget cycles). Never a client input. */
  now?: () => Date;
  /** Catalog's key-encryption keys for connection secrets (COCKPIT_SECRET_KEYS, `<kid>:<base64 32 bytes>[,…]`, the first seals). */
  secretKeys?: string;
  /** Where the subgraph exports its spans (the standard OTEL_* variables, tracing.ts); off when absent. */
  tracing?: TracingConfig;
}

/**
 * A resolver map as graphql-codegen generates it per subgraph (`Resolvers`):
 * type name → field resolvers (or a scalar). Typed by the concept's generated
 * types; the kit only merges and wraps it.
 */
export type ResolverMap = { [typeName: string]: unknown };

/** One concept of a subgraph (plans, presets, API keys…): everything it contributes, in one value. */
export interface Concept {
  name: string;
  entities?: EntitySchema<any, any>[];
  resolvers?: ResolverMap;
  /** Internal JSON routes beside /graphql (service-to-service). */
  routes?: (orm: MikroORM) => Record<string, InternalRoute>;
  /** The audit events the concept's writes record. */
  events?: EventCatalogue;
  onClose?: () => Promise<void>;
}

export const defineConcept = <C extends Concept>(concept: C): C => concept;

export interface SubgraphDefinition {
  name: string;
  schemaFile: string;
  concepts: Concept[];
  migrations: MigrationObject[];
  /** Replaces HTTP delivery of outbox events (observability ingests its own in-process). */
  deliver?: (orm: MikroORM) => (events: OutboxEvent[]) => Promise<void>;
  /** An event to record beside `input`, in the same transaction (identity: `credentials.changed` after a revoking write). */
  alsoRecord?: (input: EventInput) => EventInput | null;
  /** Root fields and entity types whose answers the exact answer cache may keep (answer-cache.ts); none when absent. */
  cacheable?: Cacheable;
  onClose?: () => Promise<void>;
}

export interface BuiltSubgraph extends SubgraphServer {
  orm: MikroORM;
}

/** A subgraph factory from its definition: `export const createBudgetsSubgraph = defineSubgraph({...})`. */
export function defineSubgraph(def: SubgraphDefinition): (cfg: SubgraphConfig) => Promise<BuiltSubgraph> {
  return (cfg) => buildSubgraph(def, cfg);
}

/**
 * The concepts' resolvers merged into one map, with the scalars the SDL
 * declares and every root field wrapped by its `@authorize` declaration.
 * Throws when two concepts resolve one field, or a root field is undeclared.
 */
export function assembleResolvers(typeDefs: DocumentNode, concepts: Concept[]): ResolverMap {
  const merged: Record<string, Record<string, unknown>> = {};
  const out: ResolverMap = {};
  for (const def of typeDefs.definitions) {
    const known = scalarResolvers[(def.kind === Kind.SCALAR_TYPE_DEFINITION ? def.name.value : '') as keyof typeof scalarResolvers];
    if (known) out[known.name] = known;
  }
  for (const c of concepts) {
    for (const [type, fields] of Object.entries(c.resolvers ?? {})) {
      if (fields === undefined) continue;
      if (typeof fields !== 'object' || fields === null || fields.constructor !== Object) {
        out[type] = fields; // a scalar
        continue;
      }
      const into = (merged[type] ??= {});
      for (const [field, r] of Object.entries(fields)) {
        if (field in into) throw new Error(`${type}.${field} is resolved by two concepts (the second is ${c.name})`);
        into[field] = r;
      }
    }
  }
  const rules = fieldRules(typeDefs);
  for (const rule of rules.values()) {
    const [type, field] = rule.field.split('.');
    const r = merged[type]?.[field];
    if (r === undefined) throw new Error(`${rule.field} has no resolver`);
    merged[type][field] = wrapRoot(rule, r);
  }
  return Object.assign(out, merged);
}

/**
 * A cacheable root field must be a declared query field acting on one account:
 * a PLATFORM field reads every account, whose generations the cache key does not cover.
 */
export function checkCacheable(typeDefs: DocumentNode, cacheable: Cacheable | undefined): void {
  const rules = fieldRules(typeDefs);
  for (const f of cacheable?.fields ?? []) {
    const rule = rules.get(`Query.${f}`);
    if (!rule) throw new Error(`cacheable field Query.${f} is not a query field`);
    if (rule.scope === 'PLATFORM') throw new Error(`cacheable field Query.${f} has PLATFORM scope: it reads every account`);
  }
}

/** Authorizes before the resolver runs and hands it the context of the account it acts on. */
function wrapRoot(rule: FieldRule, r: unknown): unknown {
  const guard =
    (fn: GraphQLFieldResolver<unknown, RequestContext>): GraphQLFieldResolver<unknown, RequestContext> =>
    (parent, args, ctx, info) =>
      fn(parent, args, ctx.actingAs(actingScope(ctx.principal, rule)), info);
  if (typeof r === 'function') return guard(r as GraphQLFieldResolver<unknown, RequestContext>);
  const sub = r as { subscribe?: GraphQLFieldResolver<unknown, RequestContext>; resolve?: unknown };
  if (!sub.subscribe) throw new Error(`${rule.field}: a root field resolves with a function or { subscribe }`);
  return { ...sub, subscribe: guard(sub.subscribe) };
}

/** ORM + migrations + outbox relay + server, wired the same way for every subgraph. */
export async function buildSubgraph(def: SubgraphDefinition, cfg: SubgraphConfig): Promise<BuiltSubgraph> {
  const log = cfg.log.child({ subgraph: def.name });
  const typeDefs = subgraphTypeDefs(def.schemaFile);
  // before any connection: an undeclared root field fails start-up
  const resolvers = assembleResolvers(typeDefs, def.concepts);
  checkCacheable(typeDefs, def.cacheable);
  const events: EventCatalogue = {};
  for (const c of def.concepts)
    for (const [type, e] of Object.entries(c.events ?? {})) {
      if (type in events) throw new Error(`audit event ${type} is declared by two concepts`);
      events[type] = e;
    }
  const orm = await createOrm({
    url: cfg.databaseUrl,
    schema: def.name,
    entities: def.concepts.flatMap((c) => c.entities ?? []),
    migrations: def.migrations,
    poolMax: cfg.dbPoolMax,
    bounds: cfg.dbBounds,
    onQuery: cfg.onQuery,
  });
  try {
    await migrate(orm, def.name);
  } catch (err) {
    await orm.close();
    throw err;
  }
  const routes: Record<string, InternalRoute> = {};
  for (const c of def.concepts)
    for (const [path, route] of Object.entries(c.routes?.(orm) ?? {})) {
      if (path in routes) throw new Error(`route ${path} is served by two concepts`);
      routes[path] = route;
    }
  const tracing = createTracing(def.name, cfg.tracing, log);
  const deliver =
    def.deliver?.(orm) ??
    (async (batch: OutboxEvent[]) => {
      const base = typeof cfg.observabilityUrl === 'function' ? cfg.observabilityUrl() : cfg.observabilityUrl;
      await callInternal({
        url: `${base.replace(/\/graphql$/, '')}/internal/ingest`,
        audience: 'observability',
        key: cfg.serviceKey,
        principal: servicePrincipal(def.name),
        body: { events: batch },
        tracing,
      });
    });
  const relay = startOutboxRelay({ orm, schema: def.name, deliver, log, tracing });
  const dropGauges = addGauges(`subgraph:${def.name}:${uuidv7()}`, { service: def.name }, SUBGRAPH_GAUGES, () =>
    subgraphGauges(orm, def.name),
  );
  // a request's call to another service's internal route, signed as this service and tagged with the request id
  const callService = async <T>(service: string, path: string, body: unknown, requestId: string): Promise<T> => {
    const url = cfg.serviceUrls?.[service];
    if (!url) throw new Error(`${def.name} is not configured to call ${service}`);
    const base = typeof url === 'function' ? url() : url;
    return callInternal<T>({
      url: `${base.replace(/\/graphql$/, '')}${path}`,
      audience: service,
      key: cfg.serviceKey,
      principal: servicePrincipal(def.name, requestId),
      body,
      tracing,
    });
  };
  const server = await createSubgraphServer({
    name: def.name,
    typeDefs,
    resolvers,
    orm,
    gatewayPublicKey: cfg.gatewayPublicKey,
    serviceKeys: cfg.serviceKeys,
    alsoRecord: def.alsoRecord,
    answerCache: def.cacheable && { cacheable: def.cacheable, maxBytes: (cfg.answerCacheMb ?? DEFAULT_ANSWER_CACHE_MB) * 1024 * 1024 },
    entitiesCap: cfg.entitiesCap,
    log,
    onCommit: relay.wake,
    callService,
    drainMs: cfg.drainMs,
    now: cfg.now,
    checkEvent: eventChecker(events),
    routes,
    tracing,
    onClose: async () => {
      dropGauges();
      await relay.stop();
      for (const c of def.concepts) await c.onClose?.();
      await def.onClose?.();
      await orm.close();
      // the drain's last spans (the relay's final deliveries included) leave before the process does
      await tracing.shutdown();
    },
  });
  return Object.assign(server, { orm });
}

const SUBGRAPH_GAUGES = {
  cockpit_db_pool_in_use: 'Database connections of the service in use',
  cockpit_db_pool_waiting: 'Requests of the service waiting for a database connection',
  cockpit_outbox_backlog: 'Outbox rows of the service not yet delivered to observability',
  cockpit_outbox_lag_seconds: "Age of the service's oldest undelivered outbox row (0 when none)",
};

/** What a scrape reads of one subgraph: its pool (knex's tarn pool) and its outbox (one statement). */
async function subgraphGauges(orm: MikroORM, schema: string): Promise<Record<string, number>> {
  const pool = (orm.em.getConnection() as unknown as { getKnex(): { client: { pool?: TarnPool } } }).getKnex().client.pool;
  const [row] = await orm.em
    .getConnection()
    .execute<{ n: number; oldest: string | null }[]>(
      `select count(*)::int as n, (select id::text from "${schema}"."outbox" order by id limit 1) as oldest from "${schema}"."outbox"`,
    );
  // outbox ids are UUIDv7: their first 48 bits are the creation time in ms
  const created = row?.oldest ? parseInt(row.oldest.replace(/-/g, '').slice(0, 12), 16) : null;
  return {
    cockpit_db_pool_in_use: pool?.numUsed() ?? 0,
    cockpit_db_pool_waiting: pool?.numPendingAcquires() ?? 0,
    cockpit_outbox_backlog: row?.n ?? 0,
    cockpit_outbox_lag_seconds: created ? Math.max(0, (Date.now() - created) / 1000) : 0,
  };
}
interface TarnPool {
  numUsed(): number;
  numPendingAcquires(): number;
}
