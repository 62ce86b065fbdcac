import type { KeyObject } from 'node:crypto';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ALSO_RECORDED_HEADER, CockpitError, INTERNAL_TOKEN_HEADER, InternalTokenCache, type Logger, type Principal } from '@cockpit/kit';
import type { FetchDedup } from './dedup';

/** An event a subgraph recorded beside a write (`ALSO_RECORDED_HEADER`): identity's `credentials.changed`. */
export interface AlsoRecorded {
  type: string;
  accountId: string;
  payload: Record<string, unknown>;
}

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
    const fetcher = async (input: string, init?: RequestInit) => {
      try {
        return await fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        const timedOut = (err as Error).name === 'TimeoutError';
        log.warn({ subgraph, err: (err as Error).message }, timedOut ? 'subgraph timed out' : 'subgraph unreachable');
        throw new CockpitError(
          'UPSTREAM_ERROR',
          timedOut ? `The ${subgraph} service did not answer in time` : `The ${subgraph} service is unavailable`,
        );
      }
    };
    super({ url, fetcher: fetcher as never });
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
