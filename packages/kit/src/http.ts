/**
 * HTTP plumbing shared by the gateway and the subgraphs: body limits, JSON and
 * GraphQL-shaped error answers, running a request through Apollo Server. Kept
 * apart from server.ts so the gateway (through `@cockpit/kit/edge`) does not
 * load the subgraph server, the ORM or the database driver.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import { CockpitError, type ErrorCode } from './errors';

export const MAX_BODY_BYTES = 1024 * 1024;
/** Response header naming, as JSON, the payloads of the events `alsoRecord` added (the gateway drops credential caches on it). */
export const ALSO_RECORDED_HEADER = 'cockpit-also-recorded';

/**
 * How long an idle keep-alive connection stays open on the server side. Longer than the callers' own idle
 * limits (the gateway's subgraph pool closes after 4 s, undici's fetch after at most 4 s, load balancers after
 * 60 s), so the caller always closes an idle connection first and never sends a request on a socket this
 * server is closing — which is a reset ("socket hang up", "other side closed") on a busy machine, seen with
 * Node's default of 5 s. The drain on SIGTERM closes idle connections at once, so this never delays a stop.
 */
export const KEEP_ALIVE_MS = 65_000;

/** How long a stopping server lets in-flight requests finish before it closes their connections (COCKPIT_DRAIN_MS). */
export const DEFAULT_DRAIN_MS = 10_000;

/**
 * Stops an HTTP server the way a rolling deploy needs: no new connections, idle keep-alive connections closed
 * now, in-flight requests answered (each connection closed once its answer is out), and whatever is still open
 * after `graceMs` closed. Resolves when every connection is gone.
 */
export function drainHttpServer(server: Server, graceMs = DEFAULT_DRAIN_MS): Promise<void> {
  return new Promise<void>((resolve) => {
    const late = setTimeout(() => server.closeAllConnections(), graceMs);
    // a keep-alive connection goes as soon as its in-flight request is answered (not after the keep-alive timeout)
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    late.unref();
    server.close(() => {
      clearTimeout(late);
      clearInterval(idle);
      resolve();
    });
    server.closeIdleConnections();
  });
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
