import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyObject } from 'node:crypto';
import { ApolloServer, HeaderMap, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AnswerCache, answerCachePlugin, type Cacheable } from './answer-cache';
import { createRequestContext, type RequestContext } from './context';
import { CockpitError, formatError, HTTP_STATUS, isUnexpected, type ErrorCode } from './errors';
import { GATEWAY_ISSUER, INTERNAL_TOKEN_HEADER, InternalCallVerifier, type InternalCall } from './internal-token';
import type { Logger } from './log';
import type { EventInput } from './outbox';
import type { Principal } from './principal';
import type { ResolverMap } from './subgraph';

export const MAX_BODY_BYTES = 1024 * 1024;
/** Response header naming, as JSON, the payloads of the events `alsoRecord` added (the gateway drops credential caches on it). */
export const ALSO_RECORDED_HEADER = 'cockpit-also-recorded';

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
  /** Checks each audit event against the subgraph's catalogue. */
  checkEvent?: (input: EventInput) => void;
  routes?: Record<string, InternalRoute>;
  /** See SubgraphDefinition.alsoRecord. */
  alsoRecord?: (input: EventInput) => EventInput | null;
  onClose?: () => Promise<void>;
  /** The answer cache: what may be cached, and its bound in bytes (0: no cache, no generation read). */
  answerCache?: { cacheable: Cacheable; maxBytes: number };
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
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** Build, don't listen: the factory every subgraph's `createXSubgraph` wraps. */
export async function createSubgraphServer(opts: SubgraphServerOptions): Promise<SubgraphServer> {
  const { name, orm, log } = opts;
  const verifier = new InternalCallVerifier({ gateway: opts.gatewayPublicKey, services: opts.serviceKeys }, name);
  const schema = buildSubgraphSchema([{ typeDefs: opts.typeDefs, resolvers: opts.resolvers as any }]);
  const requestPlugin: ApolloServerPlugin<RequestContext> = {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const err of errors) if (isUnexpected(err)) contextValue.log.error({ err: err.originalError ?? err }, 'unexpected error');
        },
        async willSendResponse({ response, contextValue }) {
          // the request's reads are done: their transaction commits before the answer leaves
          await contextValue.end().catch((err) => contextValue.log.error({ err }, 'read transaction failed to commit'));
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
    introspection: true,
    // no schema has cache hints and every answer is `no-store`: the cache-control plugin's per-field hook (which
    // makes Apollo wrap every resolver) would only work that out again for each field of each request
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      requestPlugin,
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
      onCommit: opts.onCommit,
      checkEvent: opts.checkEvent,
      alsoRecord: opts.alsoRecord,
      shareReads,
    });
  const contextFor = (principal: Principal) => requestContext(principal, false);

  const httpServer = createServer((req, res) => {
    handle(req, res).catch((err) => {
      log.error({ err }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_ERROR' } }] });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') return sendJson(res, 200, { ok: true });
    if (url.pathname === '/readyz') {
      const ready = await databaseReachable(orm);
      return sendJson(res, ready ? 200 : 503, { ready });
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
    // the request's read transaction commits in willSendResponse; this also covers a request Apollo failed
    let ctx: RequestContext | undefined;
    try {
      await respondWithApollo(apollo, req, res, url, async () => (ctx = requestContext(principal, true)), principal.requestId);
    } finally {
      await ctx?.end();
    }
  }

  return {
    name,
    schema,
    httpServer,
    apollo,
    contextFor,
    answerCache,
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
      await new Promise<void>((r) => {
        httpServer.close(() => r());
        httpServer.closeIdleConnections();
      });
      await apollo.stop();
      await opts.onClose?.();
    },
  };
}

/** Readiness: the database answers `select 1` within a second (a hung connection counts as down). */
async function databaseReachable(orm: MikroORM, timeoutMs = 1000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), timeoutMs)));
  try {
    return await Promise.race([
      orm.em
        .getConnection()
        .execute('select 1')
        .then(() => true),
      timeout,
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** What the gateway adds to a subgraph's request handling: a check of the bound variables. */
export interface ApolloHttpOptions {
  requestId?: string;
  /** Refuses bound variables (size, depth) before Apollo sees them; its `extensions.http.status` is the answer's status. */
  checkVariables?: (variables: unknown, bodyBytes?: number) => GraphQLError | undefined;
}

/** Reads and runs an HTTP GraphQL request through Apollo Server and writes its answer (gateway and subgraphs alike). */
export async function respondWithApollo<C extends BaseContext>(
  apollo: ApolloServer<C>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  context: () => Promise<C>,
  requestIdOrOptions?: string | ApolloHttpOptions,
): Promise<void> {
  const opts = typeof requestIdOrOptions === 'string' ? { requestId: requestIdOrOptions } : (requestIdOrOptions ?? {});
  const requestId = opts.requestId;
  let body: unknown;
  let variables: unknown;
  let bodyBytes: number | undefined;
  if (req.method === 'POST') {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(header(req, 'content-type') ?? '')?.[1];
    if (charset && !/^utf-?8$/i.test(charset))
      return sendError(res, 415, 'INVALID_REQUEST', `Unsupported charset "${charset}": send UTF-8`, requestId);
    let raw: string;
    try {
      raw = await readBody(req);
    } catch (e) {
      if (e instanceof BodyTooLargeError) return sendError(res, 413, 'INVALID_REQUEST', e.message, requestId);
      throw e;
    }
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return sendError(res, 400, 'INVALID_REQUEST', 'Body is not valid JSON', requestId);
    }
    variables = (body as { variables?: unknown } | undefined)?.variables;
    bodyBytes = Buffer.byteLength(raw, 'utf8');
  } else variables = url.searchParams.get('variables') ?? undefined;
  const refused = opts.checkVariables?.(variables, bodyBytes);
  if (refused)
    return sendError(res, (refused.extensions.http as { status?: number })?.status ?? 400, 'INVALID_REQUEST', refused.message, requestId);
  const headers = new HeaderMap();
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
  const result = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
    context,
  });
  for (const [k, v] of result.headers) res.setHeader(k, v);
  res.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') return void res.end(result.body.string);
  for await (const chunk of result.body.asyncIterator) res.write(chunk);
  res.end();
}

/** What a request id may look like: a client's `X-Request-Id` outside it is replaced, never echoed. */
export const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.end(JSON.stringify(body));
}

/** A GraphQL-shaped error answer outside Apollo (body limits, bad JSON, credentials). */
export function sendError(
  res: ServerResponse,
  status: number,
  code: ErrorCode,
  message: string,
  requestId?: string,
  headers?: Record<string, string>,
) {
  sendJson(res, status, { errors: [{ message, extensions: requestId ? { code, requestId } : { code } }] }, headers);
}

/** A body over the limit: answered 413 while the rest of it is drained. */
export class BodyTooLargeError extends CockpitError {
  constructor(limit: number) {
    super('INVALID_REQUEST', `Request body exceeds ${limit} bytes`);
  }
}

/** After a 413, how much more of a body is read and discarded, so the client gets the answer instead of a reset. */
const DRAIN_BYTES = 8 * 1024 * 1024;
const DRAIN_MS = 5_000;

/**
 * Reads a request body, refusing anything over `limit` (1 MiB) with a
 * BodyTooLargeError. The refused body is drained (up to 8 MiB or 5 s), not
 * cut off: destroying a socket the client is still writing to resets it
 * before the client reads the 413, and a keep-alive client can reuse it.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(header(req, 'content-length'));
    if (declared > limit) {
      drain(req);
      return reject(new BodyTooLargeError(limit));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size <= limit) return void chunks.push(c);
      req.off('data', onData);
      chunks.length = 0;
      drain(req);
      reject(new BodyTooLargeError(limit));
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function drain(req: IncomingMessage) {
  let drained = 0;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, DRAIN_MS).unref();
  req.on('data', (c: Buffer) => {
    drained += c.length;
    if (drained > DRAIN_BYTES) cut();
  });
  req.once('close', () => clearTimeout(timer));
  req.on('error', () => {});
  req.resume();
}
