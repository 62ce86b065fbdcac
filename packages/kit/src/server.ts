import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyObject } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AnswerCache, answerCachePlugin, type Cacheable } from './answer-cache';
import { createRequestContext, type CallService, type RequestContext } from './context';
import { entitiesCapPlugin, type EntitiesCap } from './entities-cap';
import { CockpitError, formatError, HTTP_STATUS, isDatabaseUnavailable, isUnexpected } from './errors';
import {
  ALSO_RECORDED_HEADER,
  BodyTooLargeError,
  drainHttpServer,
  header,
  KEEP_ALIVE_MS,
  readBody,
  REQUEST_ID_RE,
  respondWithApollo,
  sendError,
  sendJson,
} from './http';
import { metricsPlugin, sendMetrics } from './metrics';
import { GATEWAY_ISSUER, INTERNAL_TOKEN_HEADER, InternalCallVerifier, type InternalCall } from './internal-token';
import type { Logger } from './log';
import type { EventInput } from './outbox';
import type { Principal } from './principal';
import type { ResolverMap } from './subgraph';
import { NO_TRACING, SpanKind, TRACEPARENT_HEADER, type Tracing } from './tracing';

/**
 * A plain JSON route beside /graphql, for service-to-service calls: only the
 * services it names may call it, each with its own key (the gateway's
 * service identity for `'gateway'`). The internal token is checked first.
 */
export interface InternalRoute {
  callers: readonly string[];
  handle(body: unknown, principal: Principal): Promise<unknown>;
}

/** Declares an internal route and the services that may call it. */
export function internalRoute(callers: readonly string[], handle: InternalRoute['handle']): InternalRoute {
  return { callers, handle };
}

export interface SubgraphServerOptions {
  name: string;
  typeDefs: DocumentNode;
  resolvers: ResolverMap;
  orm: MikroORM;
  /** The gateway's public key: only requests it signed are served on /graphql. */
  gatewayPublicKey: KeyObject;
  /** Public keys of the services that may call this one's internal routes, by service name. */
  serviceKeys?: Readonly<Record<string, KeyObject | undefined>>;
  log: Logger;
  /** Woken after every committed transaction (the outbox relay). */
  onCommit?: () => void;
  /** See RequestContext.callService. */
  callService?: CallService;
  /** See SubgraphConfig.now. */
  now?: () => Date;
  /** Checks each audit event against the subgraph's catalogue. */
  checkEvent?: (input: EventInput) => void;
  routes?: Record<string, InternalRoute>;
  /** See SubgraphDefinition.alsoRecord. */
  alsoRecord?: (input: EventInput) => EventInput | null;
  onClose?: () => Promise<void>;
  /** How long close() lets in-flight requests finish (default 10 s). */
  drainMs?: number;
  /** The answer cache: what may be cached, and its bound in bytes (0: no cache, no generation read). */
  answerCache?: { cacheable: Cacheable; maxBytes: number };
  /** Representations `_entities` may carry per request (entities-cap.ts; its defaults when absent). */
  entitiesCap?: EntitiesCap;
  /** The subgraph's tracer: a server span per request, continuing the caller's `traceparent` (off when absent). */
  tracing?: Tracing;
}

export interface SubgraphServer {
  name: string;
  schema: GraphQLSchema;
  httpServer: Server;
  apollo: ApolloServer<RequestContext>;
  /** Builds the context for an already verified principal (WebSocket handlers reuse it). */
  contextFor(principal: Principal): RequestContext;
  /** The exact answer cache (absent when disabled or nothing is cacheable). */
  answerCache?: AnswerCache;
  /** The subgraph's tracer (NO_TRACING when tracing is off); tests flush it. */
  tracing: Tracing;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** Build, don't listen: the factory every subgraph's `createXSubgraph` wraps. */
export async function createSubgraphServer(opts: SubgraphServerOptions): Promise<SubgraphServer> {
  const { name, orm, log } = opts;
  const tracing = opts.tracing ?? NO_TRACING;
  const verifier = new InternalCallVerifier({ gateway: opts.gatewayPublicKey, services: opts.serviceKeys }, name);
  const schema = buildSubgraphSchema([{ typeDefs: opts.typeDefs, resolvers: opts.resolvers as any }]);
  const requestPlugin: ApolloServerPlugin<RequestContext> = {
    async requestDidStart() {
      return {
        ...(tracing.enabled && {
          async didResolveOperation({ request, operation }) {
            tracing.annotate({
              'graphql.operation.name': request.operationName ?? operation?.name?.value ?? '',
              'graphql.operation.type': operation?.operation ?? '',
            });
          },
        }),
        async didEncounterErrors({ errors, contextValue }) {
          for (const err of errors) if (isUnexpected(err)) contextValue.log.error({ err: err.originalError ?? err }, 'unexpected error');
        },
        async willSendResponse({ response, contextValue }) {
          // what Apollo's cache-control plugin answered for a schema without hints (it is off: see the plugins below)
          response.http.headers.set('cache-control', 'no-store');
          if (contextValue.alsoRecorded.length)
            response.http.headers.set(
              ALSO_RECORDED_HEADER,
              JSON.stringify(contextValue.alsoRecorded.map((e) => ({ type: e.type, accountId: e.accountId, payload: e.payload ?? {} }))),
            );
          if (response.body.kind === 'single') {
            for (const e of response.body.singleResult.errors ?? [])
              (e.extensions as Record<string, unknown>).requestId = contextValue.requestId;
          }
        },
      };
    },
  };
  const cacheable = opts.answerCache?.cacheable;
  const answerCache =
    opts.answerCache && opts.answerCache.maxBytes > 0 && (cacheable?.fields?.length || cacheable?.entities?.length)
      ? new AnswerCache(opts.answerCache.maxBytes)
      : undefined;
  const apollo = new ApolloServer<RequestContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: false, // only the gateway can call: the internal token is the check
    // Apollo's own SIGTERM handling stops at once and re-raises the signal: the process drains in close() instead
    stopOnTerminationSignals: false,
    introspection: true,
    // no schema has cache hints and every answer is `no-store`: the cache-control plugin's per-field hook (which
    // makes Apollo wrap every resolver) would only work that out again for each field of each request
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      requestPlugin,
      metricsPlugin(name),
      entitiesCapPlugin(opts.entitiesCap),
      ...(answerCache ? [answerCachePlugin(orm, name, cacheable!, answerCache)] : []),
    ],
  });
  await apollo.start();

  const requestContext = (principal: Principal, shareReads: boolean) =>
    createRequestContext({
      orm,
      schema: name,
      principal,
      log,
      tracing,
      onCommit: opts.onCommit,
      callService: opts.callService,
      now: opts.now,
      checkEvent: opts.checkEvent,
      alsoRecord: opts.alsoRecord,
      shareReads,
    });
  const contextFor = (principal: Principal) => requestContext(principal, false);

  const httpServer = createServer((req, res) => {
    // tracing off: the request takes the same path as without it (this one check)
    const served = tracing.enabled && !PROBES.has(pathOf(req.url)) ? traced(req, res) : handle(req, res);
    served.catch((err) => {
      log.error({ err }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_ERROR' } }] });
    });
  });
  httpServer.keepAliveTimeout = KEEP_ALIVE_MS;

  /** `handle` in a server span per API or internal call (not per probe), in the caller's trace when it sent one. */
  function traced(req: IncomingMessage, res: ServerResponse) {
    // span names stay few: the API, the internal routes, and anything else as one
    const path = pathOf(req.url);
    const known = path === '/graphql' || (opts.routes !== undefined && Object.hasOwn(opts.routes, path));
    return tracing.span(
      `${req.method} ${known ? path : 'other'}`,
      {
        kind: SpanKind.SERVER,
        parent: header(req, TRACEPARENT_HEADER) ?? null,
        attributes: { 'http.request.method': req.method ?? '', 'url.path': known ? path : 'other' },
      },
      async (span) => {
        await handle(req, res);
        span.setAttribute('http.response.status_code', res.statusCode);
      },
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') return sendJson(res, 200, { ok: true });
    // a subgraph is never exposed to clients: its metrics need no token (the gateway's do, see its /metrics)
    if (url.pathname === '/metrics') return sendMetrics(res);
    if (url.pathname === '/readyz') {
      const readiness = await databaseReadiness(orm);
      return sendJson(res, readiness.ready ? 200 : 503, readiness);
    }
    let call: InternalCall;
    try {
      call = await verifier.verify(header(req, INTERNAL_TOKEN_HEADER));
    } catch (e) {
      const err = e instanceof CockpitError ? e : new CockpitError('UNAUTHORIZED', 'Invalid internal token');
      return sendJson(res, 401, { errors: [{ message: err.message, extensions: { code: err.code } }] });
    }
    // a reused token names the request that first asked for it: this request's id comes with it in x-request-id
    const sent = header(req, 'x-request-id');
    const principal =
      sent && sent !== call.principal.requestId && REQUEST_ID_RE.test(sent) ? { ...call.principal, requestId: sent } : call.principal;
    const route = opts.routes?.[url.pathname];
    if (route) {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST only' });
      if (!call.caller || !route.callers.includes(call.caller))
        return sendJson(res, 403, { error: `${url.pathname} is not for ${call.caller ?? 'this principal'}`, code: 'FORBIDDEN' });
      let body: string;
      try {
        body = await readBody(req);
      } catch (e) {
        if (e instanceof BodyTooLargeError) return sendError(res, 413, 'INVALID_REQUEST', e.message);
        throw e;
      }
      try {
        return sendJson(res, 200, await route.handle(body ? JSON.parse(body) : {}, principal));
      } catch (e) {
        if (e instanceof CockpitError) return sendJson(res, HTTP_STATUS[e.code], { error: e.message, code: e.code, details: e.details });
        throw e;
      }
    }
    if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'Not found' });
    // the API is served to what the gateway signed; a service's own key opens only the internal routes naming it
    if (call.issuer !== GATEWAY_ISSUER)
      return sendJson(res, 403, { errors: [{ message: 'Only the gateway may call /graphql', extensions: { code: 'FORBIDDEN' } }] });
    await respondWithApollo(apollo, req, res, url, async () => requestContext(principal, true), principal.requestId);
  }

  return {
    name,
    schema,
    httpServer,
    apollo,
    contextFor,
    answerCache,
    tracing,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const a = httpServer.address() as AddressInfo;
          resolve(`http://${host}:${a.port}/graphql`);
        });
      });
    },
    async close() {
      await drainHttpServer(httpServer, opts.drainMs);
      await apollo.stop();
      await opts.onClose?.();
    },
  };
}

/** Health, readiness and metrics: no span each. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);
/** The path of a request's URL, without parsing it. */
const pathOf = (url = '/') => {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
};

/**
 * Readiness: the database answers `select 1` within a second (a hung connection counts as down). Not ready
 * names why in a few words, never the host, port or the driver's message.
 */
async function databaseReadiness(orm: MikroORM, timeoutMs = 1000): Promise<{ ready: true } | { ready: false; reason: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ ready: false; reason: string }>(
    (r) => (timer = setTimeout(() => r({ ready: false, reason: `the database did not answer within ${timeoutMs} ms` }), timeoutMs)),
  );
  try {
    return await Promise.race([
      orm.em
        .getConnection()
        .execute('select 1')
        .then(() => ({ ready: true }) as const),
      timeout,
    ]);
  } catch (e) {
    return {
      ready: false,
      reason: isDatabaseUnavailable(e) ? 'the database refused or dropped the connection' : 'the database answered with an error',
    };
  } finally {
    clearTimeout(timer);
  }
}
