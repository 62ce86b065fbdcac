import type { KeyObject } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Kind, parse, type DocumentNode, type GraphQLFormattedError, type SelectionSetNode } from 'graphql';
import { Agent, request, type Dispatcher } from 'undici';
import {
  ALSO_RECORDED_HEADER,
  CockpitError,
  INTERNAL_TOKEN_HEADER,
  InternalTokenCache,
  NO_TRACING,
  SpanKind,
  subgraphFetches,
  type Logger,
  type Principal,
  type Tracing,
} from '@cockpit/kit/edge';
import { CircuitBreaker, DEFAULT_BREAKER, type BreakerConfig } from './breaker';
import type { FetchDedup } from './dedup';

/** An event a subgraph recorded beside a write (`ALSO_RECORDED_HEADER`): identity's `credentials.changed`. */
export interface AlsoRecorded {
  type: string;
  accountId: string;
  payload: Record<string, unknown>;
}

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;
type FetcherHeaders = FetcherResponse['headers'];
type IncomingFetch = Extract<GraphQLDataSourceProcessOptions<GatewayContext>, { incomingRequestContext: unknown }>;
type ResponseContext = Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>>[0];

export interface GatewayContext {
  principal: Principal;
  requestId: string;
}

/** How the gateway calls one subgraph. */
export interface DataSourceOptions {
  /** Hears what a write recorded beside its answer (`ALSO_RECORDED_HEADER`). */
  onAlsoRecorded?: (events: AlsoRecorded[]) => void;
  /** No answer (or a body that stalls) within this is a subgraph that hangs; default 10,000 ms. */
  timeoutMs?: number;
  /** Identical in-flight fetches of one principal's queries share one call. */
  dedup?: FetchDedup | null;
  /** When the subgraph's circuit breaker opens (default 5 consecutive failures, 5 s open). */
  breaker?: BreakerConfig;
  /** The largest answer accepted from the subgraph (default 4 MiB): a larger one fails its fetch, it is never passed on. */
  maxResponseBytes?: number;
  /** The gateway's tracer: a client span per fetch, its `traceparent` sent to the subgraph (nothing when off). */
  tracing?: Tracing;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** At most this many errors with a path stand for one failed fetch (one per field it would have filled). */
const MAX_PATHED_ERRORS = 100;

/**
 * Every request to a subgraph carries an internal token (EdDSA, ≤ 60 s,
 * audience = that subgraph) stating the principal, and the request id in
 * `x-request-id`. Nothing the client sent is forwarded: subgraphs learn
 * identity only from this token. Identical fetches of queries in flight at
 * once share one call (`FetchDedup`, when `dedup` is given).
 *
 * A fetch that fails (the subgraph unreachable, hanging, answering 5xx or
 * more than `maxResponseBytes`) costs only its part of the answer: the rest
 * of the data comes back, and every field the fetch would have filled gets an
 * UPSTREAM_ERROR with its `path`. Consecutive failures (unreachable, 5xx; not
 * a slow answer) open the subgraph's circuit breaker, which refuses its
 * fetches at once until a probe succeeds.
 */
export class InternalDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly tokens: InternalTokenCache;
  private readonly dedup: FetchDedup | null;
  private readonly onAlsoRecorded?: (events: AlsoRecorded[]) => void;
  readonly breaker: CircuitBreaker;

  constructor(
    private readonly subgraph: string,
    url: string,
    key: KeyObject,
    log: Logger,
    opts: DataSourceOptions = {},
  ) {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const maxBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const breaker = new CircuitBreaker(opts.breaker ?? DEFAULT_BREAKER);
    const unavailable = () => new CockpitError('UPSTREAM_ERROR', `The ${subgraph} service is unavailable`);
    const tracing = opts.tracing ?? NO_TRACING;
    const fetchSpan = { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'POST', 'peer.service': subgraph } };
    const tracedFetch = (input: string, init?: FetcherRequestInit): Promise<FetcherResponse> =>
      tracing.span(`POST ${subgraph}`, fetchSpan, async (span) => {
        const headers: Record<string, string> = { ...(init?.headers as Record<string, string> | undefined) };
        tracing.inject(headers);
        const res = await fetcher(input, { ...init, headers });
        span.setAttribute('http.response.status_code', res.status);
        return res;
      });
    const fetcher = async (input: string, init?: FetcherRequestInit): Promise<FetcherResponse> => {
      if (!breaker.admit()) {
        subgraphFetches.observe({ subgraph, outcome: 'refused' }, 0);
        throw unavailable();
      }
      const timed = subgraphFetches.startTimer({ subgraph });
      let res: Dispatcher.ResponseData;
      let body: string;
      try {
        res = await request(input, {
          method: 'POST',
          headers: init?.headers,
          body: init?.body,
          dispatcher: subgraphAgent,
          // no answer within the timeout, or an answer that stalls as long, is a subgraph that hangs
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        body = await readCapped(res, maxBytes, subgraph);
      } catch (err) {
        if (err instanceof CockpitError) {
          // too large: the subgraph answered, so it is not down (the breaker counts it as alive)
          breaker.succeeded();
          timed({ outcome: 'failed' });
          log.warn({ subgraph, maxBytes }, 'subgraph answer too large');
          throw err;
        }
        timed({ outcome: 'failed' });
        const timedOut = TIMEOUT_CODES.has((err as { code?: string }).code ?? '');
        if (timedOut) breaker.inconclusive();
        else breaker.failedCall();
        log.warn(
          { subgraph, err: (err as Error).message, breaker: breaker.state },
          timedOut ? 'subgraph timed out' : 'subgraph unreachable',
        );
        throw timedOut ? new CockpitError('UPSTREAM_ERROR', `The ${subgraph} service did not answer in time`) : unavailable();
      }
      timed({ outcome: res.statusCode >= 500 ? 'failed' : 'ok' });
      if (res.statusCode >= 500) breaker.failedCall();
      else breaker.succeeded();
      return new SubgraphResponse(input, res.statusCode, res.headers, body);
    };
    super({ url, fetcher: tracing.enabled ? tracedFetch : fetcher });
    this.tokens = new InternalTokenCache(key);
    this.dedup = opts.dedup ?? null;
    this.onAlsoRecorded = opts.onAlsoRecorded;
    this.breaker = breaker;
  }

  override process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource['process']> {
    // schema loading and health checks (no incoming operation) fail as they are
    if (!('incomingRequestContext' in options)) return this.send(options);
    return this.send(options).catch((err: unknown) => ({ errors: this.failedFetch(err, options) }));
  }

  private send(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource['process']> {
    const principal = (options.context as Partial<GatewayContext>).principal;
    // schema loading and health checks (no incoming operation) are never shared
    if (!this.dedup || !principal || !('incomingRequestContext' in options)) return super.process(options);
    // a query's fetches are all reads; every fetch of a mutation operation is left alone (its entity fetches read what it wrote)
    if (options.incomingRequestContext.operation?.operation === 'query') {
      // (only the leader's cache policy sees the answer's cache-control; subgraphs answer `no-store`, so nothing is cacheable anyway)
      return this.dedup.run(this.subgraph, principal, options.request, () => super.process(options));
    }
    const dedup = this.dedup;
    return super.process(options).finally(() => dedup.wrote());
  }

  /**
   * The errors that stand for a failed fetch: one per field it would have filled, with its path relative to
   * the fetch (`_entities`, i, field for an entity fetch; the gateway rewrites it to the path in the client's
   * answer). A 5xx answer is an UPSTREAM_ERROR like no answer; anything else is a bug and is rethrown.
   */
  private failedFetch(err: unknown, options: IncomingFetch): GraphQLFormattedError[] {
    let failure: CockpitError;
    if (err instanceof CockpitError) failure = err;
    else {
      const status = (err as { extensions?: { response?: { status?: number } } }).extensions?.response?.status;
      if (status === undefined) throw err;
      failure = new CockpitError('UPSTREAM_ERROR', `The ${this.subgraph} service failed (HTTP ${status})`);
    }
    const error = (path?: (string | number)[]): GraphQLFormattedError => ({
      message: failure.message,
      ...(path && { path }),
      extensions: { code: failure.code, ...(failure.details && { details: failure.details }) },
    });
    const document = options.document ?? parse(options.request.query!);
    const paths = fieldPaths(document, options.request.variables?.representations);
    const errors = paths.slice(0, MAX_PATHED_ERRORS).map(error);
    if (paths.length > MAX_PATHED_ERRORS) errors.push(error());
    return errors.length ? errors : [error()];
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const principal = (options.context as Partial<GatewayContext>).principal;
    if (!principal) return; // schema loading / health checks carry no principal and are refused upstream
    options.request.http!.headers.set(INTERNAL_TOKEN_HEADER, await this.tokens.token(this.subgraph, principal));
    options.request.http!.headers.set('x-request-id', principal.requestId);
  }

  /** The serving replica applies what a write changed before its answer reaches the client. */
  override async didReceiveResponse({ response }: ResponseContext): Promise<ResponseContext['response']> {
    const header = response.http?.headers.get(ALSO_RECORDED_HEADER);
    if (header && this.onAlsoRecorded) {
      try {
        const events = JSON.parse(header);
        if (Array.isArray(events)) this.onAlsoRecorded(events);
      } catch {
        /* a malformed hint changes nothing: the live feed still brings the change */
      }
    }
    return response;
  }
}

/**
 * Subgraph calls go through undici's `request()` on one keep-alive pool per
 * subgraph origin: none of `fetch`'s Request/Response/Headers objects, web
 * streams or an AbortSignal and its timer per call (undici's own timeouts
 * share one coarse timer), which was half of the gateway's CPU per request.
 */
const subgraphAgent = new Agent({ keepAliveTimeout: 4_000 });

/** undici's codes for no answer in time: connecting, the headers, the body. */
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

type RawHeaders = Record<string, string | string[] | undefined>;

/** The answer's body as text, refused (and the connection dropped) as soon as it is known to exceed `max` bytes. */
async function readCapped(res: Dispatcher.ResponseData, max: number, subgraph: string): Promise<string> {
  const tooLarge = () => {
    res.body.destroy();
    return new CockpitError('UPSTREAM_ERROR', `The ${subgraph} service's answer is larger than ${max} bytes`);
  };
  const declared = Number(res.headers['content-length']);
  if (declared > max) throw tooLarge();
  if (declared >= 0) return res.body.text(); // undici ends the body at its declared length
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/**
 * The paths, relative to a fetch, of the fields its operation asks for: `[field]` for each root field,
 * `['_entities', i, field]` for each representation of an entity fetch and each field asked of its type.
 */
function fieldPaths(document: DocumentNode, representations: unknown): (string | number)[][] {
  const op = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!op || op.kind !== Kind.OPERATION_DEFINITION) return [];
  const paths: (string | number)[][] = [];
  for (const sel of op.selectionSet.selections) {
    if (sel.kind !== Kind.FIELD || sel.name.value === '__typename') continue;
    const name = sel.alias?.value ?? sel.name.value;
    if (sel.name.value !== '_entities' || !Array.isArray(representations) || !sel.selectionSet) {
      paths.push([name]);
      continue;
    }
    const fieldsOf = entityFields(sel.selectionSet);
    representations.forEach((r: { __typename?: string }, i) => {
      for (const f of fieldsOf.get(r?.__typename ?? '') ?? []) {
        paths.push([name, i, f]);
        if (paths.length > MAX_PATHED_ERRORS) return;
      }
    });
  }
  return paths;
}

/** Type name → the response names `_entities { ... on Type { … } }` asks of it. */
function entityFields(set: SelectionSetNode): Map<string, string[]> {
  const byType = new Map<string, string[]>();
  for (const sel of set.selections) {
    if (sel.kind !== Kind.INLINE_FRAGMENT || !sel.typeCondition) continue;
    const names = byType.get(sel.typeCondition.name.value) ?? [];
    for (const f of sel.selectionSet.selections)
      if (f.kind === Kind.FIELD && f.name.value !== '__typename') names.push(f.alias?.value ?? f.name.value);
    byType.set(sel.typeCondition.name.value, names);
  }
  return byType;
}

/** What Apollo's data source reads of a response (`ok`, `status`, headers, the body once), over an already-read body. */
class SubgraphResponse implements FetcherResponse {
  readonly redirected = false;
  readonly bodyUsed = true;
  readonly headers: FetcherHeaders;

  constructor(
    readonly url: string,
    readonly status: number,
    raw: RawHeaders,
    private readonly body: string,
  ) {
    this.headers = new ResponseHeaders(raw);
  }

  get ok() {
    return this.status >= 200 && this.status < 300;
  }
  get statusText() {
    return STATUS_CODES[this.status] ?? '';
  }
  async text() {
    return this.body;
  }
  async json() {
    return JSON.parse(this.body);
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = Buffer.from(this.body);
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }
  clone(): FetcherResponse {
    return this;
  }
}

/** undici's header object (lower-case names) read through the Fetch `Headers` interface Apollo and our hooks use. */
class ResponseHeaders implements FetcherHeaders {
  constructor(private readonly raw: RawHeaders) {}
  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  }
  has(name: string) {
    return this.raw[name.toLowerCase()] !== undefined;
  }
  set(name: string, value: string) {
    this.raw[name.toLowerCase()] = value;
  }
  append(name: string, value: string) {
    const v = this.get(name);
    this.raw[name.toLowerCase()] = v === null ? value : `${v}, ${value}`;
  }
  delete(name: string) {
    delete this.raw[name.toLowerCase()];
  }
  *entries(): IterableIterator<[string, string]> {
    for (const k of Object.keys(this.raw)) if (this.raw[k] !== undefined) yield [k, this.get(k)!];
  }
  *keys(): IterableIterator<string> {
    for (const [k] of this.entries()) yield k;
  }
  *values(): IterableIterator<string> {
    for (const [, v] of this.entries()) yield v;
  }
  [Symbol.iterator]() {
    return this.entries();
  }
}
