import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, Kind, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { CREDENTIALS_CHANGED, parseCredentialsChanged } from '@cockpit/contracts';
import {
  CockpitError,
  addGauges,
  createLogger,
  drainHttpServer,
  metricsPlugin,
  sendMetrics,
  formatError,
  HTTP_STATUS,
  isUnexpected,
  REQUEST_ID_RE,
  KEEP_ALIVE_MS,
  respondWithApollo,
  sendError,
  sendJson,
  uuidv7,
  type Logger,
  type Principal,
  SUBGRAPH_NAMES,
  SpanKind,
  TRACEPARENT_HEADER,
  createTracing,
  type SubgraphName,
  type Tracing,
} from '@cockpit/kit/edge';
import { AccountStatusCache } from './auth/account-status';
import { AgentSessions } from './auth/agent-sessions';
import { ApiKeyCache } from './auth/api-keys';
import { createAuthenticator } from './auth/authenticate';
import { CredentialEvents, type CredentialChange } from './auth/credential-events';
import { DirectoryUsers } from './auth/directory-users';
import { identityClient } from './auth/identity-client';
import { OidcVerifier } from './auth/oidc';
import { SsoIssuerRegistry } from './auth/sso-issuers';
import type { GatewayConfig } from './config';
import { InternalDataSource, type GatewayContext } from './datasource';
import { FetchDedup } from './dedup';
import { graphiqlHandler, GRAPHIQL_PREFIX } from './graphiql';
import { checkOperationCost, checkVariables, DEFAULT_LIMITS, operationLimitRules } from './limits';
import { createEdgeLimiter, DEFAULT_RATE_LIMIT, HttpAdmission } from './rate-limit';
import { SubscriptionBridge } from './subscriptions/bridge';
import { supergraphSource } from './supergraph';
import { DEFAULT_PLAN_TIMEOUT_MS, WorkerPlanner } from './planning/worker-planner';

export * from './config';
export { DEFAULT_LIMITS, checkVariables, operationCost, operationLimitRules, type OperationLimits } from './limits';
export { PLAN_LIMITS, createEdgeLimiter, rateLimitConfigFromEnv, type GatewayLimiter, type RateLimitConfig } from './rate-limit';
export type { GatewayContext } from './datasource';
export type { CredentialChange } from './auth/credential-events';

export interface Gateway {
  httpServer: Server;
  apollo: ApolloServer<GatewayContext>;
  bridge: SubscriptionBridge;
  apiKeys: ApiKeyCache;
  /** Rate limits of the HTTP edge; null when they are off. */
  admission: HttpAdmission | null;
  /** Identity's credential changes as this gateway hears them on the live feed (tests wait on `change`). */
  credentialEvents: CredentialEvents;
  /** Identical in-flight subgraph fetches of one principal's queries share one call; null when `dedup: false`. */
  fetchDedup: FetchDedup | null;
  /** The gateway's tracer (NO_TRACING when tracing is off); tests flush it. */
  tracing: Tracing;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** The gateway: authentication, internal tokens, error masking, health, and the subscription bridge. Built, not listening. */
export async function createGateway(config: GatewayConfig, log: Logger = createLogger('gateway', config.logLevel)): Promise<Gateway> {
  const subgraphUrls = new Map<string, string>();
  const urlOf = (name: SubgraphName) => config.subgraphUrls[name] ?? subgraphUrls.get(name) ?? '';
  const planner = new WorkerPlanner(config.planTimeoutMs ?? DEFAULT_PLAN_TIMEOUT_MS, log);
  const tracing = createTracing('gateway', config.tracing, log);
  const fetchDedup = config.dedup === false ? null : new FetchDedup();
  const gaugeDrops: (() => void)[] = [];
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphSource(config.supergraph, log),
    buildService: ({ name, url }) => {
      subgraphUrls.set(name, url ?? '');
      const source = new InternalDataSource(name, config.subgraphUrls[name as SubgraphName] ?? url!, config.internalKey, log, {
        onAlsoRecorded: (events) => {
          // the replica that served the write applies it before answering; the live feed brings it to the others
          for (const e of events) {
            const parsed = e.type === CREDENTIALS_CHANGED ? parseCredentialsChanged(e.payload) : null;
            if (parsed?.ok) applyChange(parsed.value);
          }
        },
        dedup: fetchDedup,
        breaker: config.breaker,
        maxResponseBytes: config.maxSubgraphResponseBytes,
        tracing,
      });
      gaugeDrops.push(
        addGauges(`breaker:${name}:${uuidv7()}`, { service: 'gateway', subgraph: name }, BREAKER_GAUGE, () => ({
          cockpit_subgraph_breaker_state: BREAKER_VALUE[source.breaker.state],
        })),
      );
      return source;
    },
    logger: { debug() {}, info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) },
    // plans are made in a worker thread with a deadline (the gateway only reads them from this store)
    queryPlannerConfig: { cache: planner },
  });
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: s, coreSupergraphSdl }) => {
    apiSchema = s;
    planner.setSupergraph(coreSupergraphSdl);
  });

  const introspection = config.introspection ?? (config.production ? 'off' : 'on');
  const limited = config.limits !== false;
  const requestPlugin: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation(rc) {
          const { operation, document, contextValue, request } = rc;
          if (operation?.operation === 'subscription')
            throw new GraphQLError('Subscriptions are served over graphql-ws (WebSocket) on this same path, not over HTTP', {
              extensions: { code: 'INVALID_REQUEST', http: { status: 400 } },
            });
          if (introspection === 'superadmin' && operation && !contextValue.principal.superAdmin && introspects(document, operation))
            throw new GraphQLError('Introspection is allowed to super admins only', {
              extensions: { code: 'FORBIDDEN', http: { status: 403 } },
            });
          // the cost with the variables sent, then the plan (in a worker, bounded): nothing is planned that the limits refuse
          if (limited) checkOperationCost(rc, DEFAULT_LIMITS);
          const key = WorkerPlanner.keyOf(rc.queryHash, request.operationName);
          if (!tracing.enabled) return planner.ensurePlanned(key, rc.source, request.operationName ?? undefined);
          const named = { 'graphql.operation.name': request.operationName ?? operation?.name?.value ?? '' };
          tracing.annotate({ ...named, 'graphql.operation.type': operation?.operation ?? '' });
          await tracing.span('graphql.plan', { attributes: named }, () =>
            planner.ensurePlanned(key, rc.source, request.operationName ?? undefined),
          );
        },
        async didEncounterErrors({ errors, contextValue }) {
          for (const err of errors) {
            if (isUnexpected(err)) log.error({ requestId: contextValue.requestId, err: err.originalError ?? err }, 'unexpected error');
            // a client's mistake is not the operator's problem: one line, no stack
            else log.debug({ requestId: contextValue.requestId, code: err.extensions?.code, msg: err.message }, 'client error');
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind === 'single') {
            for (const e of response.body.singleResult.errors ?? []) {
              (e.extensions as Record<string, unknown>).requestId = contextValue.requestId;
              // Apollo strips suggestions from validation errors only; variable coercion has them too
              if (config.production) (e as { message: string }).message = e.message.replace(/ ?Did you mean .+?\?$/, '');
            }
          }
        },
      };
    },
  };
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: introspection !== 'off',
    hideSchemaDetailsFromClientErrors: config.production,
    csrfPrevention: true,
    // Apollo's own SIGTERM handling stops at once and re-raises the signal: the process drains in close() instead
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    // tokens are counted while parsing, so a huge document costs at most maxTokens of lexing
    parseOptions: limited ? { maxTokens: DEFAULT_LIMITS.maxTokens } : {},
    validationRules: limited ? operationLimitRules(DEFAULT_LIMITS) : [],
    plugins: [ApolloServerPluginLandingPageDisabled(), requestPlugin, metricsPlugin('gateway')],
  });
  await apollo.start();
  await planner.whenReady();

  const identity = identityClient(() => urlOf('identity'), config.internalKey, tracing);
  const apiKeys = new ApiKeyCache(identity, config.apiKeyCacheSeconds * 1000);
  const accountStatus = new AccountStatusCache(identity, config.apiKeyCacheSeconds * 1000);
  const directory = new DirectoryUsers(identity, config.apiKeyCacheSeconds * 1000);
  const ssoIssuers = new SsoIssuerRegistry(identity, log);
  const oidc = new OidcVerifier(config.issuers, { jwksCooldownSeconds: config.jwksCooldownSeconds, sso: ssoIssuers, log });
  const agents = new AgentSessions(identity, config.identityPublicKey);
  const auth = createAuthenticator({ masterKey: config.masterKey, apiKeys, oidc, claims: config.claims, accountStatus, agents, directory });
  const limiter = await createEdgeLimiter(config.rateLimit ?? DEFAULT_RATE_LIMIT, { planOf: (a) => accountStatus.planOf(a), log });
  const admission = limiter && new HttpAdmission(limiter);

  const execute = async (principal: Principal, query: string, variables: Record<string, unknown>) => {
    const res = await apollo.executeOperation({ query, variables }, { contextValue: { principal, requestId: principal.requestId } });
    return res.body.kind === 'single' ? res.body.singleResult : { errors: [{ message: 'Incremental delivery is not supported' }] };
  };
  /** Drops what this gateway cached about a changed credential's account, and checks its live connections again. */
  function applyChange(c: Pick<CredentialChange, 'accountId' | 'reason'>) {
    if (c.reason === 'RECONNECTED' || c.reason === 'UNKNOWN') {
      // changes may have been missed: start over
      apiKeys.clear();
      accountStatus.clear();
      directory.clear();
      ssoIssuers.invalidate();
    } else {
      apiKeys.forgetAccount(c.accountId);
      if (c.accountId) {
        accountStatus.forget(c.accountId);
        directory.forgetAccount(c.accountId);
      }
      if (c.reason === 'SSO') ssoIssuers.invalidate();
    }
    // live feeds too: a revoked credential's subscriptions end now, not at the next round
    void bridge.revalidate();
  }
  const credentialEvents = new CredentialEvents({
    feedUrl: () => urlOf('observability').replace(/^http/, 'ws'),
    internalKey: config.internalKey,
    log,
  });
  credentialEvents.on('change', applyChange);

  const bridge = new SubscriptionBridge({
    authenticate: (c) => auth.authenticate(c),
    apiSchema: () => apiSchema,
    hideSchemaDetails: config.production,
    execute,
    feedUrl: () => urlOf('observability').replace(/^http/, 'ws'),
    internalKey: config.internalKey,
    allowedOrigins: config.allowedOrigins,
    revalidateMs: Math.max(1, config.apiKeyCacheSeconds) * 1000,
    maxConnectionsPerAccount: config.live?.maxConnectionsPerAccount,
    maxBufferedBytes: config.live?.maxBufferedBytes,
    pingMs: config.live?.pingMs,
    log,
    limiter: limiter ?? undefined,
  });

  const httpServer = createServer((req, res) => {
    const requestId = sanitizeRequestId(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    // tracing off: the request takes the same path as without it (this one check)
    const served = tracing.enabled && pathOf(req.url) === '/graphql' ? traced(req, res, requestId) : handle(req, res, requestId);
    served.catch((err) => {
      log.error({ requestId, err }, 'request failed');
      if (!res.headersSent)
        sendJson(res, 500, { errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_ERROR', requestId } }] });
    });
  });
  // clients and load balancers close idle keep-alive connections first (see KEEP_ALIVE_MS)
  httpServer.keepAliveTimeout = KEEP_ALIVE_MS;
  httpServer.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/graphql') bridge.handleUpgrade(req, socket, head);
    else socket.destroy();
  });

  gaugeDrops.push(
    addGauges(`gateway:${uuidv7()}`, { service: 'gateway' }, GATEWAY_GAUGES, () => {
      return {
        cockpit_live_sockets: bridge.socketCount,
        cockpit_live_subscriptions: bridge.liveSubscriptionCount,
        cockpit_live_groups: bridge.groupCount,
        cockpit_live_upstream_feeds: bridge.upstreamFeedCount,
      };
    }),
  );

  const graphiql = (config.graphiql ?? !config.production) ? graphiqlHandler() : undefined;
  const readiness = readinessProbe(
    () => Boolean(apiSchema) && planner.isReady,
    () => SUBGRAPH_NAMES.map(urlOf),
  );

  /** `handle` in a server span per API request, in the client's trace when it sent a traceparent. */
  function traced(req: IncomingMessage, res: ServerResponse, requestId: string) {
    const parent = req.headers[TRACEPARENT_HEADER];
    return tracing.span(
      `${req.method} /graphql`,
      {
        kind: SpanKind.SERVER,
        parent: typeof parent === 'string' ? parent : null,
        attributes: { 'http.request.method': req.method ?? '', 'url.path': '/graphql', 'cockpit.request_id': requestId },
      },
      async (span) => {
        await handle(req, res, requestId);
        span.setAttribute('http.response.status_code', res.statusCode);
      },
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') return sendJson(res, 200, { ok: true });
    if (url.pathname === '/metrics') {
      // the gateway faces clients: its metrics answer only the scraper's bearer token (off without one)
      const token = config.metricsToken;
      if (!token || !safeEqual(req.headers.authorization ?? '', `Bearer ${token}`)) return sendJson(res, 404, { error: 'Not found' });
      return sendMetrics(res);
    }
    if (url.pathname === '/readyz') {
      const r = await readiness();
      return sendJson(res, r.ready ? 200 : 503, r);
    }
    if (graphiql && url.pathname.startsWith(GRAPHIQL_PREFIX) && graphiql.asset(url.pathname, res)) return;
    if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'Not found' });
    if (graphiql?.wantsPage(req, url)) return graphiql.page(res);
    let principal: Principal;
    const h = (n: string) => (Array.isArray(req.headers[n]) ? (req.headers[n] as string[])[0] : (req.headers[n] as string | undefined));
    try {
      principal = await auth.authenticate({ authorization: h('authorization'), accountId: h('x-account-id'), requestId });
    } catch (e) {
      if (!(e instanceof CockpitError)) throw e;
      const status = HTTP_STATUS[e.code];
      return sendError(
        res,
        status,
        e.code,
        e.message,
        requestId,
        status === 401 ? { 'www-authenticate': bearerChallenge(e.code, h('authorization')) } : {},
      );
    }
    if (admission && !(await admission.admit(principal, res, requestId))) return;
    await respondWithApollo(apollo, req, res, url, async () => ({ principal, requestId }), {
      requestId,
      checkVariables: limited ? (v, bytes) => checkVariables(v, DEFAULT_LIMITS, bytes) : undefined,
    });
  }

  return {
    httpServer,
    apollo,
    bridge,
    apiKeys,
    admission,
    credentialEvents,
    fetchDedup,
    tracing,
    listen(port = 0, host = '127.0.0.1') {
      credentialEvents.start();
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve(`http://${host}:${(httpServer.address() as AddressInfo).port}/graphql`));
      });
    },
    async close() {
      for (const drop of gaugeDrops) drop();
      // stop accepting at once; live sockets are told 1001 while in-flight queries finish
      const drained = drainHttpServer(httpServer, config.drainMs);
      await credentialEvents.close();
      await bridge.close();
      await drained;
      await apollo.stop();
      await planner.close();
      await limiter?.close();
      // the drained requests' spans leave before the process does
      await tracing.shutdown();
    },
  };
}

const GATEWAY_GAUGES = {
  cockpit_live_sockets: 'Open graphql-ws sockets on this gateway',
  cockpit_live_subscriptions: 'Live events subscriptions joined to their group',
  cockpit_live_groups: 'Subscription groups (one resolution and one payload per event each)',
  cockpit_live_upstream_feeds: 'Upstream feed subscriptions held on observability (one per account followed)',
};
const BREAKER_GAUGE = { cockpit_subgraph_breaker_state: "A subgraph's circuit breaker: 0 closed, 1 half-open (probing), 2 open" };
const BREAKER_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

/** Constant-time comparison of two strings of any length (hashes first). */
function safeEqual(a: string, b: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(a), h(b));
}

/** RFC 6750 §3: the scheme and realm, and `invalid_token` when a credential was sent and refused. */
function bearerChallenge(code: string, authorization: string | undefined): string {
  if (!authorization) return 'Bearer realm="cockpit"';
  const why = code === 'TOKEN_EXPIRED' ? 'The token has expired' : 'The credential is not valid';
  return `Bearer realm="cockpit", error="invalid_token", error_description="${why}"`;
}

/** True when the operation asks for `__schema` or `__type` at its root (through fragments). */
function introspects(doc: DocumentNode, op: OperationDefinitionNode): boolean {
  const fragments = new Map(doc.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const seen = new Set<string>();
  const walk = (set: OperationDefinitionNode['selectionSet']): boolean =>
    set.selections.some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === '__schema' || s.name.value === '__type';
      if (s.kind === Kind.INLINE_FRAGMENT) return walk(s.selectionSet);
      if (seen.has(s.name.value)) return false;
      seen.add(s.name.value);
      const f = fragments.get(s.name.value);
      return f ? walk(f.selectionSet) : false;
    });
  return walk(op.selectionSet);
}

/**
 * Readiness: the supergraph is loaded and every subgraph says it is ready
 * (each checks its database). One probe at a time, its answer kept a second,
 * so a flood of /readyz does not become a flood of database round trips.
 */
function readinessProbe(schemaLoaded: () => boolean, subgraphUrls: () => string[], ttlMs = 1000, timeoutMs = 2000) {
  let last: { at: number; result: Promise<{ ready: boolean; unready?: string[] }> } | undefined;
  const probe = async () => {
    if (!schemaLoaded()) return { ready: false, unready: ['supergraph'] };
    const names = SUBGRAPH_NAMES;
    const ok = await Promise.all(
      subgraphUrls().map((u) =>
        fetch(u.replace(/\/graphql$/, '/readyz'), { signal: AbortSignal.timeout(timeoutMs) }).then(
          (r) => r.ok,
          () => false,
        ),
      ),
    );
    const unready = names.filter((_, i) => !ok[i]);
    return unready.length ? { ready: false, unready } : { ready: true };
  };
  return () => {
    if (!last || Date.now() - last.at > ttlMs) last = { at: Date.now(), result: probe() };
    return last.result;
  };
}

/** The path of a request's URL, without parsing it. */
const pathOf = (url: string | undefined) => {
  const q = url?.indexOf('?') ?? -1;
  return q < 0 ? url : url!.slice(0, q);
};

function sanitizeRequestId(v: string | string[] | undefined): string {
  const s = Array.isArray(v) ? v[0] : v;
  return s && REQUEST_ID_RE.test(s) ? s : uuidv7();
}
