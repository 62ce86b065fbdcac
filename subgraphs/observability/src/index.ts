import { join } from 'node:path';
import { buildSubgraph, defineConcept, defineEvents, type BuiltSubgraph, type SubgraphConfig } from '@cockpit/kit';
import { Event } from './events/event.entity';
import { eventResolvers } from './events/event.resolvers';
import { ingestEvents, ingestRoute, parseEvents } from './events/ingest.service';
import { attachFeedSocket } from './live/feed-socket';
import { platformFeedSchema } from './live/platform-feed';
import { createInProcessLiveBus, type LiveBus } from './live/live-bus';
import { migrations } from './migrations';

export {
  createInProcessLiveBus,
  createInProcessLiveBus as createInProcessBus,
  type InProcessLiveBus,
  type LiveBus,
  type LiveMessage,
  type LiveListener,
} from './live/live-bus';
export { createPostgresLiveBus, LIVE_CHANNEL } from './live/postgres-live-bus';
export { ingestEvents, parseEvents, type IngestResult } from './events/ingest.service';
export { chainHash, chainRecord, GENESIS_HASH } from './events/event-chain';
export { CLOSE_FORBIDDEN, CLOSE_UNAUTHORIZED } from './live/feed-socket';
export { CREDENTIALS_CHANNEL, PLATFORM_FEED } from './live/platform-feed';

export const SCHEMA_FILE = join(__dirname, 'schema.graphql');

/** The events observability records about itself. */
export const eventEvents = defineEvents({ 'audit.export': { subject: null, payload: ['format'] } });

export type ObservabilityConfig = SubgraphConfig & {
  /** Share one bus between this subgraph and others in the same process (the launcher, tests); defaults to a private in-process bus. */
  bus?: LiveBus;
};

/**
 * Event log, hash-chained audit and live feed: builds the subgraph (HTTP, the
 * internal ingest route and the graphql-ws feed on /graphql) without listening.
 */
export async function createObservabilitySubgraph(config: ObservabilityConfig): Promise<BuiltSubgraph> {
  const bus = config.bus ?? createInProcessLiveBus();
  const server = await buildSubgraph(
    {
      name: 'observability',
      schemaFile: SCHEMA_FILE,
      concepts: [
        defineConcept({
          name: 'events',
          entities: [Event],
          resolvers: eventResolvers(bus),
          routes: (orm) => ({ '/internal/ingest': ingestRoute(orm, bus) }),
          events: eventEvents,
        }),
      ],
      migrations,
      // Nothing: every ingest raises the account's generation, so an answer here would rarely be
      // served, and `event` is what the gateway's live groups ask once per new event — always a
      // miss whose generation read (one statement outside the request's transaction, queued
      // behind the writers on the embedded database) put audit lag at 5 s instead of 0.9 s under
      // 8 writers (bench/mutations.ts). `auditLog`'s `range` is relative to the clock anyway.
      // its own events skip HTTP: they go straight into the chain
      deliver: (orm) => async (events) => {
        await ingestEvents(orm, bus, parseEvents(events));
      },
    },
    config,
  );
  const feed = attachFeedSocket(server, {
    gatewayPublicKey: config.gatewayPublicKey,
    log: config.log,
    platform: platformFeedSchema(server.orm, bus),
  });
  const closeServer = server.close.bind(server);
  server.close = async () => {
    await feed.close(); // sockets first: an open WebSocket would keep the HTTP server from closing
    await closeServer();
  };
  return server;
}
