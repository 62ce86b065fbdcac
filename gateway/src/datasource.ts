import type { KeyObject } from 'node:crypto';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { INTERNAL_TOKEN_HEADER, signInternalToken, type Principal } from '@cockpit/kit';

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
    timeoutMs = 10_000,
  ) {
    // a hanging subgraph yields an error for its part of the answer, not a stuck request
    const fetcher = (input: string, init?: RequestInit) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    super({ url, fetcher: fetcher as never });
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const principal = (options.context as Partial<GatewayContext>).principal;
    if (!principal) return; // schema loading / health checks carry no principal and are refused upstream
    options.request.http!.headers.set(INTERNAL_TOKEN_HEADER, await signInternalToken(this.key, this.subgraph, principal));
    options.request.http!.headers.set('x-request-id', principal.requestId);
  }
}
