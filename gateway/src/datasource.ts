import type { KeyObject } from 'node:crypto';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { CockpitError, INTERNAL_TOKEN_HEADER, signInternalToken, type Logger, type Principal } from '@cockpit/kit';

export interface GatewayContext {
  principal: Principal;
  requestId: string;
}

/**
 * Every request to a subgraph carries a fresh internal token (EdDSA, ≤ 60 s,
 * audience = that subgraph) stating the principal. Nothing the client sent is
 * forwarded: subgraphs learn identity only from this token.
 */
export class InternalDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly key: KeyObject,
    log: Logger,
    timeoutMs = 10_000,
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
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const principal = (options.context as Partial<GatewayContext>).principal;
    if (!principal) return; // schema loading / health checks carry no principal and are refused upstream
    options.request.http!.headers.set(INTERNAL_TOKEN_HEADER, await signInternalToken(this.key, this.subgraph, principal));
    options.request.http!.headers.set('x-request-id', principal.requestId);
  }
}
