import type { KeyObject } from 'node:crypto';
import { GraphQLError, type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import {
  can,
  formatError,
  isUnexpected,
  MAX_BODY_BYTES,
  GATEWAY_ISSUER,
  verifyInternalToken,
  type BuiltSubgraph,
  type Logger,
  type Principal,
} from '@cockpit/kit';

/** graphql-ws close codes for a refused `connection_init`. */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_FORBIDDEN = 4403;

/**
 * Serves `Subscription` on the subgraph's own port and path over graphql-ws.
 * Internal-only, like the HTTP endpoint: `connection_init` must carry
 * `{ token }`, an internal token the gateway signed for this subgraph.
 * Browsers always send Origin and never talk to a subgraph, so any Origin is refused.
 * With `{ feed: 'platform' }` the connection gets the platform feed's schema
 * instead (credential changes), for the gateway's own service identity only.
 */
export function attachFeedSocket(
  server: BuiltSubgraph,
  opts: { gatewayPublicKey: KeyObject; log: Logger; platform?: GraphQLSchema },
): { close(): Promise<void> } {
  const wss = new WebSocketServer({
    server: server.httpServer,
    path: '/graphql',
    maxPayload: MAX_BODY_BYTES,
    verifyClient: ({ origin }: { origin?: string }) => !origin,
  });
  const stamp = (errors: readonly GraphQLError[], requestId: string | undefined): GraphQLFormattedError[] =>
    errors.map((e) => {
      const f = formatError(e.toJSON(), e);
      return { ...f, extensions: { ...f.extensions, ...(requestId ? { requestId } : {}) } };
    });

  const disposable = useServer<{ token?: unknown; feed?: unknown }, { principal: Principal; platform?: boolean }>(
    {
      schema: (ctx) => (ctx.extra.platform && opts.platform ? opts.platform : server.schema),
      isProd: true,
      async onConnect(ctx) {
        const token = ctx.connectionParams?.token;
        let principal: Principal;
        try {
          principal = await verifyInternalToken(opts.gatewayPublicKey, server.name, typeof token === 'string' ? token : undefined);
        } catch {
          ctx.extra.socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized');
          return false;
        }
        if (ctx.connectionParams?.feed === 'platform') {
          if (principal.kind !== 'SERVICE' || principal.subject !== GATEWAY_ISSUER || !opts.platform) return false;
          ctx.extra.platform = true;
        } else if (!can(principal, 'events.subscribe')) return false; // graphql-ws closes with 4403
        ctx.extra.principal = principal;
        return true;
      },
      context: (ctx) => server.contextFor(ctx.extra.principal!),
      onNext(ctx, _id, _payload, _args, result: ExecutionResult) {
        if (result.errors?.length) return { ...result, errors: stamp(result.errors, ctx.extra.principal?.requestId) };
      },
      onError(ctx, _id, _payload, errors) {
        for (const err of errors) if (isUnexpected(err)) opts.log.error({ err: err.originalError ?? err }, 'subscription failed');
        return stamp(errors, ctx.extra.principal?.requestId);
      },
    },
    wss,
  );
  // ws closes a socket that sent a bad frame itself (1009, 1007, 1002) and then emits 'error'; graphql-ws's
  // one-shot handler would print it with a stack to the console: a client's mistake, logged here instead
  wss.on('error', (err) => opts.log.warn({ err: err.message }, 'feed socket server error'));
  wss.on('connection', (socket) => {
    socket.removeAllListeners('error');
    socket.on('error', (err) => opts.log.debug({ err: err.message }, 'feed socket protocol error'));
  });
  return {
    async close() {
      await disposable.dispose(); // closes every socket with 1001 Going away
    },
  };
}
