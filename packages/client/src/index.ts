import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';

export * from './__generated__/graphql';
export { graphql } from './__generated__/gql';

export interface CockpitClientOptions {
  /** The gateway's GraphQL URL, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  /** An API key (sk-cap-…), an OIDC access token or the master key. */
  token: string;
  /** For super admins: the account to act on (X-Account-Id). */
  accountId?: string;
}

export class CockpitRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errors: { message: string; extensions?: { code?: string; requestId?: string; details?: Record<string, string> } }[],
  ) {
    super(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
  }
}

/** A small typed client: `request` over HTTP, `subscribe` over graphql-ws, both with the same credential. */
export function createCockpitClient(opts: CockpitClientOptions) {
  let ws: WsClient | undefined;
  const headers = () => ({
    'content-type': 'application/json',
    authorization: `Bearer ${opts.token}`,
    ...(opts.accountId ? { 'x-account-id': opts.accountId } : {}),
  });
  return {
    async request<R, V extends Record<string, unknown>>(doc: TypedDocumentNode<R, V>, variables?: V): Promise<R> {
      const res = await fetch(opts.url, { method: 'POST', headers: headers(), body: JSON.stringify({ query: print(doc), variables }) });
      const body = (await res.json()) as { data?: R; errors?: CockpitRequestError['errors'] };
      if (body.errors?.length) throw new CockpitRequestError(res.status, body.errors);
      return body.data as R;
    },
    subscribe<R, V extends Record<string, unknown>>(
      doc: TypedDocumentNode<R, V>,
      variables: V,
      onData: (data: R) => void,
      onError?: (e: unknown) => void,
    ): () => void {
      ws ??= createWsClient({
        url: opts.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${opts.token}`, ...(opts.accountId ? { 'x-account-id': opts.accountId } : {}) },
      });
      return ws.subscribe<R>(
        { query: print(doc), variables },
        { next: (r) => (r.data ? onData(r.data) : onError?.(r.errors)), error: (e) => onError?.(e), complete: () => {} },
      );
    },
    async close() {
      await ws?.dispose();
    },
  };
}
