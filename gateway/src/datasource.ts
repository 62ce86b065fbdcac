import type { KeyObject } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Agent, request } from 'undici';
import {
  ALSO_RECORDED_HEADER,
  CockpitError,
  INTERNAL_TOKEN_HEADER,
  InternalTokenCache,
  type Logger,
  type Principal,
} from '@cockpit/kit/edge';
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
type ResponseContext = Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>>[0];

export interface GatewayContext {
  principal: Principal;
  requestId: string;
}

/**
 * Every request to a subgraph carries an internal token (EdDSA, ≤ 60 s,
 * audience = that subgraph) stating the principal, and the request id in
 * `x-request-id`. Nothing the client sent is forwarded: subgraphs learn
 * identity only from this token. Identical fetches of queries in flight at
 * once share one call (`FetchDedup`, when `dedup` is given).
 */
export class InternalDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly tokens: InternalTokenCache;

  constructor(
    private readonly subgraph: string,
    url: string,
    key: KeyObject,
    log: Logger,
    private readonly onAlsoRecorded?: (events: AlsoRecorded[]) => void,
    timeoutMs = 10_000,
    private readonly dedup: FetchDedup | null = null,
  ) {
    // A subgraph that is down or hanging costs only its part of the answer:
    // the rest of the data comes back with an UPSTREAM_ERROR for the missing part.
    const fetcher = async (input: string, init?: FetcherRequestInit): Promise<FetcherResponse> => {
      try {
        const res = await request(input, {
          method: 'POST',
          headers: init?.headers,
          body: init?.body,
          dispatcher: subgraphAgent,
          // no answer within the timeout, or an answer that stalls as long, is a subgraph that hangs
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        return new SubgraphResponse(input, res.statusCode, res.headers, await res.body.text());
      } catch (err) {
        const timedOut = TIMEOUT_CODES.has((err as { code?: string }).code ?? '');
        log.warn({ subgraph, err: (err as Error).message }, timedOut ? 'subgraph timed out' : 'subgraph unreachable');
        throw new CockpitError(
          'UPSTREAM_ERROR',
          timedOut ? `The ${subgraph} service did not answer in time` : `The ${subgraph} service is unavailable`,
        );
      }
    };
    super({ url, fetcher });
    this.tokens = new InternalTokenCache(key);
  }

  override process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource['process']> {
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
