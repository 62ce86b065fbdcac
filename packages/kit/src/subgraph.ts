import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { parse } from 'graphql';
import type { EntitySchema, MikroORM } from '@mikro-orm/postgresql';
import type { MigrationObject } from '@mikro-orm/core';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { RequestContext } from './context';
import { createOrm, migrate } from './db';
import type { Logger } from './log';
import { startOutboxRelay, type EventInput, type OutboxEvent } from './outbox';
import { createSubgraphServer, type InternalRoute, type SubgraphServer } from './server';
import { callInternal, servicePrincipal } from './service-client';

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
  log: Logger;
  /** Sees every SQL statement (benchmarks). */
  onQuery?: (sql: string) => void;
}

export interface SubgraphDefinition {
  name: string;
  schemaFile: string;
  resolvers: GraphQLResolverMap<RequestContext>;
  entities: EntitySchema<any, any>[];
  migrations: MigrationObject[];
  routes?: (orm: MikroORM) => Record<string, InternalRoute>;
  /** Replaces HTTP delivery of outbox events (observability ingests its own in-process). */
  deliver?: (orm: MikroORM) => (events: OutboxEvent[]) => Promise<void>;
  /** An event to record beside `input`, in the same transaction (identity: `credentials.changed` after a revoking write). */
  alsoRecord?: (input: EventInput) => EventInput | null;
  onClose?: () => Promise<void>;
}

export interface BuiltSubgraph extends SubgraphServer {
  orm: MikroORM;
}

/** ORM + migrations + outbox relay + server, wired the same way for every subgraph. */
export async function buildSubgraph(def: SubgraphDefinition, cfg: SubgraphConfig): Promise<BuiltSubgraph> {
  const log = cfg.log.child({ subgraph: def.name });
  const orm = await createOrm({
    url: cfg.databaseUrl,
    schema: def.name,
    entities: def.entities,
    migrations: def.migrations,
    onQuery: cfg.onQuery,
  });
  try {
    await migrate(orm, def.name);
  } catch (err) {
    await orm.close();
    throw err;
  }
  const deliver =
    def.deliver?.(orm) ??
    (async (events: OutboxEvent[]) => {
      const base = typeof cfg.observabilityUrl === 'function' ? cfg.observabilityUrl() : cfg.observabilityUrl;
      await callInternal({
        url: `${base.replace(/\/graphql$/, '')}/internal/ingest`,
        audience: 'observability',
        key: cfg.serviceKey,
        principal: servicePrincipal(def.name),
        body: { events },
      });
    });
  const relay = startOutboxRelay({ orm, schema: def.name, deliver, log });
  const server = await createSubgraphServer({
    name: def.name,
    typeDefs: parse(readFileSync(def.schemaFile, 'utf8')),
    resolvers: def.resolvers,
    orm,
    gatewayPublicKey: cfg.gatewayPublicKey,
    serviceKeys: cfg.serviceKeys,
    alsoRecord: def.alsoRecord,
    log,
    onCommit: relay.wake,
    routes: def.routes?.(orm),
    onClose: async () => {
      await relay.stop();
      await def.onClose?.();
      await orm.close();
    },
  });
  return Object.assign(server, { orm });
}
