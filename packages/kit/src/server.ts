import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyObject } from 'node:crypto';
import { ApolloServer, HeaderMap, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createRequestContext, type RequestContext } from './context';
import { CockpitError, formatError, HTTP_STATUS, isUnexpected } from './errors';
import { INTERNAL_TOKEN_HEADER, verifyInternalToken } from './internal-token';
import type { Logger } from './log';
import type { EventInput } from './outbox';
import type { Principal } from './principal';
import type { ResolverMap } from './subgraph';

export const MAX_BODY_BYTES = 1024 * 1024;

/** A plain JSON route beside /graphql, for service-to-service calls; the internal token is checked first. */
export type InternalRoute = (body: unknown, principal: Principal) => Promise<unknown>;

export interface SubgraphServerOptions {
  name: string;
  typeDefs: DocumentNode;
  resolvers: ResolverMap;
  orm: MikroORM;
  /** The gateway's public key: only requests it signed are served. */
  gatewayPublicKey: KeyObject;
  log: Logger;
  /** Woken after every committed transaction (the outbox relay). */
  onCommit?: () => void;
  /** Checks each audit event against the subgraph's catalogue. */
  checkEvent?: (input: EventInput) => void;
  routes?: Record<string, InternalRoute>;
  onClose?: () => Promise<void>;
}

export interface SubgraphServer {
  name: string;
  schema: GraphQLSchema;
  httpServer: Server;
  apollo: ApolloServer<RequestContext>;
  /** Builds the context for an already verified principal (WebSocket handlers reuse it). */
  contextFor(principal: Principal): RequestContext;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** Build, don't listen: the factory every subgraph's `createXSubgraph` wraps. */
export async function createSubgraphServer(opts: SubgraphServerOptions): Promise<SubgraphServer> {
  const { name, orm, log, gatewayPublicKey } = opts;
  const schema = buildSubgraphSchema([{ typeDefs: opts.typeDefs, resolvers: opts.resolvers as any }]);
  const requestPlugin: ApolloServerPlugin<RequestContext> = {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const err of errors) if (isUnexpected(err)) contextValue.log.error({ err: err.originalError ?? err }, 'unexpected error');
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind === 'single') {
            for (const e of response.body.singleResult.errors ?? [])
              (e.extensions as Record<string, unknown>).requestId = contextValue.requestId;
          }
        },
      };
    },
  };
  const apollo = new ApolloServer<RequestContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: false, // only the gateway can call: the internal token is the check
    introspection: true,
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), requestPlugin],
  });
  await apollo.start();

  const contextFor = (principal: Principal) =>
    createRequestContext({ orm, schema: name, principal, log, onCommit: opts.onCommit, checkEvent: opts.checkEvent });

  const httpServer = createServer((req, res) => {
    handle(req, res).catch((err) => {
      log.error({ err }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_ERROR' } }] });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') return sendJson(res, 200, { ok: true });
    let principal: Principal;
    try {
      principal = await verifyInternalToken(gatewayPublicKey, name, header(req, INTERNAL_TOKEN_HEADER));
    } catch (e) {
      const err = e instanceof CockpitError ? e : new CockpitError('UNAUTHORIZED', 'Invalid internal token');
      return sendJson(res, 401, { errors: [{ message: err.message, extensions: { code: err.code } }] });
    }
    const route = opts.routes?.[url.pathname];
    if (route) {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST only' });
      const body = await readBody(req);
      try {
        return sendJson(res, 200, await route(body ? JSON.parse(body) : {}, principal));
      } catch (e) {
        if (e instanceof CockpitError) return sendJson(res, HTTP_STATUS[e.code], { error: e.message, code: e.code, details: e.details });
        throw e;
      }
    }
    if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'Not found' });
    await respondWithApollo(apollo, req, res, url, async () => contextFor(principal), principal.requestId);
  }

  return {
    name,
    schema,
    httpServer,
    apollo,
    contextFor,
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

/** Reads and runs an HTTP GraphQL request through Apollo Server and writes its answer (gateway and subgraphs alike). */
export async function respondWithApollo<C extends BaseContext>(
  apollo: ApolloServer<C>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  context: () => Promise<C>,
  requestId?: string,
): Promise<void> {
  let body: unknown;
  if (req.method === 'POST') {
    const raw = await readBody(req);
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return sendJson(res, 400, { errors: [{ message: 'Body is not valid JSON', extensions: { code: 'INVALID_REQUEST', requestId } }] });
    }
  }
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

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/** Reads a request body, refusing anything over 1 MiB. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new CockpitError('INVALID_REQUEST', 'Request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
