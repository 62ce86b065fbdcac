import type { GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { principalKey, type Principal } from '@cockpit/kit/edge';

type GatewayGraphQLRequest = GraphQLDataSourceProcessOptions['request'];
type GatewayGraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

interface Call {
  joiners: { resolve(r: GatewayGraphQLResponse): void; reject(err: unknown): void }[];
}

/**
 * One upstream call for identical subgraph fetches that are in flight at the
 * same time: same subgraph, same operation text and variables, and the same
 * principal in everything but its request id (account, roles, scopes, teams,
 * orgs, user, kind, subject, super admin) — so an answer never crosses
 * accounts, roles or users. Only queries' fetches are shared; a mutation's
 * never are, and every write this gateway forwards ends the sharing of the
 * fetches already in flight (`wrote`): a read that starts after a write
 * answered starts its own call, so it sees that write. (A write through another
 * gateway replica does not end it here: a read may still join a fetch that left
 * before that write answered, which is the answer it would have had by
 * arriving a moment earlier — at most one subgraph round trip old.) Nothing is
 * kept once a call has answered: this is not a cache.
 *
 * A shared call carries the first request's `x-request-id` upstream (the
 * subgraphs log that id for all of them): acceptable for reads, which change
 * nothing a request id would be needed to trace.
 */
export class FetchDedup {
  private calls = new Map<string, Call>();
  /** Subgraph fetches answered by another request's call (tests and the bench read it). */
  shared = 0;

  /** `call`'s answer, or the answer of the identical call already in flight. */
  run(subgraph: string, principal: Principal, request: GatewayGraphQLRequest, call: () => Promise<GatewayGraphQLResponse>) {
    const key = `${subgraph}\n${principalKey(principal)}\n${request.operationName ?? ''}\n${request.query}\n${JSON.stringify(request.variables ?? {})}`;
    const inFlight = this.calls.get(key);
    if (inFlight) {
      this.shared++;
      return new Promise<GatewayGraphQLResponse>((resolve, reject) => inFlight.joiners.push({ resolve, reject }));
    }
    return this.lead(key, call);
  }

  /** A write answered: fetches in flight may have read what it changed, so later reads do not join them. */
  wrote(): void {
    if (this.calls.size) this.calls = new Map();
  }

  private async lead(key: string, call: () => Promise<GatewayGraphQLResponse>): Promise<GatewayGraphQLResponse> {
    const calls = this.calls;
    const entry: Call = { joiners: [] };
    calls.set(key, entry);
    let response: GatewayGraphQLResponse;
    try {
      response = await call();
    } catch (err) {
      calls.delete(key);
      for (const j of entry.joiners) j.reject(err);
      throw err;
    }
    calls.delete(key);
    // the gateway merges each answer into its own result in place: every joiner gets its own copy, made before anyone does
    for (const j of entry.joiners) j.resolve(copyOf(response));
    return response;
  }
}

function copyOf(r: GatewayGraphQLResponse): GatewayGraphQLResponse {
  return {
    ...r,
    data: r.data && structuredClone(r.data),
    errors: r.errors && structuredClone(r.errors),
    extensions: r.extensions && structuredClone(r.extensions),
  };
}
