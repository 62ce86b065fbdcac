import { createHash, type KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { createClient, type Client } from 'graphql-ws';
import {
  getOperationAST,
  parse,
  print,
  validate,
  Kind,
  GraphQLError,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import { CockpitError, signInternalToken, uuidv7, type Logger, type Principal } from '@cockpit/kit';
import type { Authenticator } from '../auth/authenticate';
import { operationLimitRules } from '../limits';

const PROTOCOL = 'graphql-transport-ws';
const MAX_PAYLOAD = 1024 * 1024;
const INIT_TIMEOUT_MS = 5_000;
const MAX_SUBSCRIPTIONS_PER_CONNECTION = 32;
const RESOLVED_CACHE_SIZE = 512;

/** Runs an operation through the gateway itself (so every subgraph's fields resolve, authorized). */
export type Executor = (
  principal: Principal,
  query: string,
  variables: Record<string, unknown>,
) => Promise<{ data?: Record<string, unknown> | null; errors?: readonly unknown[] }>;

export interface BridgeOptions {
  authenticate: Authenticator['authenticate'];
  apiSchema: () => GraphQLSchema | undefined;
  execute: Executor;
  /** ws:// URL of observability's internal feed. */
  feedUrl: () => string;
  internalKey: KeyObject;
  allowedOrigins: string[];
  maxConnectionsPerAccount?: number;
  /**
   * How often every open connection's credential is checked again (default 30 s,
   * the key-cache TTL): a revoked key, a suspended account, a deactivated user or
   * a revoked agent loses its live feed within it (`revalidate()` does it at once).
   */
  revalidateMs?: number;
  log: Logger;
}

/** Closes a connection whose credential was refused: 4403 when forbidden, else 4401. */
function closeRefused(ws: WebSocket, e: unknown): void {
  const forbidden = e instanceof CockpitError && e.code === 'FORBIDDEN';
  ws.close(forbidden ? 4403 : 4401, forbidden ? 'Forbidden' : 'Unauthorized');
}

const FEED_QUERY = 'subscription Feed($after: String, $types: [String!]) { events(after: $after, types: $types) { id cursor } }';

/**
 * The gateway's graphql-ws endpoint. @apollo/gateway cannot execute
 * subscriptions, so for `events` the bridge subscribes upstream to
 * observability's feed and resolves the client's selection per event as a query
 * through the gateway. Subscribers whose answers can't differ (same account,
 * roles, scopes, selection and variables) form a group: each event is resolved
 * and serialized once per group and the same payload bytes go to every socket.
 */
export class SubscriptionBridge {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_PAYLOAD,
    handleProtocols: (p) => (p.has(PROTOCOL) ? PROTOCOL : false),
  });
  private readonly groups = new Map<string, Group>();
  private readonly perAccount = new Map<string, number>();
  /** Each authenticated connection's credential, as it was presented, to check again. */
  private readonly credentials = new Map<WebSocket, { authorization?: string; accountId?: string }>();
  private readonly revalidateTimer: NodeJS.Timeout;
  private revalidating: Promise<void> | null = null;

  constructor(private readonly opts: BridgeOptions) {
    this.revalidateTimer = setInterval(() => void this.revalidate(), opts.revalidateMs ?? 30_000);
    this.revalidateTimer.unref();
  }

  /**
   * Authenticates every open connection again and closes those whose credential
   * no longer stands (4401, or 4403 when forbidden). A check that fails for
   * another reason (identity unreachable) keeps the connection: the next round decides.
   */
  revalidate(): Promise<void> {
    this.revalidating ??= (async () => {
      try {
        await Promise.all(
          [...this.credentials].map(async ([ws, c]) => {
            try {
              await this.opts.authenticate({ ...c, requestId: uuidv7() });
            } catch (e) {
              if (!(e instanceof CockpitError) || !['UNAUTHORIZED', 'TOKEN_EXPIRED', 'FORBIDDEN'].includes(e.code)) return;
              this.credentials.delete(ws);
              closeRefused(ws, e);
            }
          }),
        );
      } finally {
        this.revalidating = null;
      }
    })();
    return this.revalidating;
  }

  /** Attach to the HTTP server's `upgrade` for the GraphQL path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    if (!this.originAllowed(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req));
  }

  private originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (!origin) return true; // not a browser
    if (this.opts.allowedOrigins.includes(origin)) return true;
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  }

  get groupCount() {
    return this.groups.size;
  }

  async close() {
    clearInterval(this.revalidateTimer);
    for (const ws of this.wss.clients) ws.close(1001, 'Going away');
    for (const g of this.groups.values()) await g.dispose();
    this.groups.clear();
    await new Promise<void>((r) => this.wss.close(() => r()));
  }

  private onConnection(ws: WebSocket, req: IncomingMessage) {
    if (ws.protocol !== PROTOCOL) return ws.close(4406, 'Subprotocol not acceptable');
    let principal: (Principal & { expiresAt?: number }) | null = null;
    let initReceived = false;
    let expiryTimer: NodeJS.Timeout | undefined;
    const subs = new Map<string, { stop(): void }>();
    const initTimer = setTimeout(() => !principal && ws.close(4408, 'Connection initialisation timeout'), INIT_TIMEOUT_MS);
    const send = (raw: string) => ws.readyState === WebSocket.OPEN && ws.send(raw);

    const onClose = () => {
      this.credentials.delete(ws);
      clearTimeout(initTimer);
      clearTimeout(expiryTimer);
      for (const s of subs.values()) s.stop();
      subs.clear();
      if (principal?.accountId) this.perAccount.set(principal.accountId, (this.perAccount.get(principal.accountId) ?? 1) - 1);
    };
    ws.once('close', onClose);

    ws.on('message', async (data) => {
      let msg: { type?: string; id?: string; payload?: any };
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return ws.close(4400, 'Invalid message received');
      }
      switch (msg.type) {
        case 'connection_init': {
          if (initReceived) return ws.close(4429, 'Too many initialisation requests');
          initReceived = true;
          try {
            const params = (msg.payload ?? {}) as Record<string, unknown>;
            const auth = (params.authorization ?? params.Authorization ?? (params.token ? `Bearer ${params.token}` : undefined)) as
              string | undefined;
            const credential = { authorization: auth, accountId: (params['x-account-id'] ?? params.accountId) as string | undefined };
            const p = await this.opts.authenticate({ ...credential, requestId: uuidv7() });
            if (ws.readyState !== WebSocket.OPEN) return;
            const acct = p.accountId ?? '-';
            const open = this.perAccount.get(acct) ?? 0;
            if (open >= (this.opts.maxConnectionsPerAccount ?? 1000)) return ws.close(4429, 'Too many connections for this account');
            this.perAccount.set(acct, open + 1);
            principal = p;
            this.credentials.set(ws, credential);
            clearTimeout(initTimer);
            if (p.expiresAt) expiryTimer = setTimeout(() => ws.close(4401, 'Token expired'), Math.max(0, p.expiresAt - Date.now()));
            send(JSON.stringify({ type: 'connection_ack' }));
          } catch (e) {
            closeRefused(ws, e);
          }
          return;
        }
        case 'ping':
          return send(JSON.stringify({ type: 'pong' }));
        case 'pong':
          return;
        case 'subscribe': {
          if (!principal) return ws.close(4401, 'Unauthorized');
          const id = msg.id;
          if (typeof id !== 'string' || !msg.payload || typeof msg.payload.query !== 'string')
            return ws.close(4400, 'Invalid message received');
          if (subs.has(id)) return ws.close(4409, `Subscriber for ${id} already exists`);
          if (subs.size >= MAX_SUBSCRIPTIONS_PER_CONNECTION) {
            return send(
              JSON.stringify({
                id,
                type: 'error',
                payload: [{ message: 'Too many subscriptions on this connection', extensions: { code: 'RATE_LIMITED' } }],
              }),
            );
          }
          const stop = this.subscribe(principal, id, msg.payload, send, () => subs.delete(id));
          subs.set(id, { stop });
          return;
        }
        case 'complete': {
          const s = typeof msg.id === 'string' ? subs.get(msg.id) : undefined;
          s?.stop();
          if (msg.id) subs.delete(msg.id);
          return;
        }
        default:
          return ws.close(4400, `Invalid message type`);
      }
    });
    void req;
  }

  private subscribe(
    principal: Principal,
    id: string,
    payload: { query: string; variables?: Record<string, unknown> | null; operationName?: string | null },
    send: (raw: string) => void,
    done: () => void,
  ): () => void {
    const fail = (errors: readonly unknown[]) => {
      send(JSON.stringify({ id, type: 'error', payload: errors }));
      done();
    };
    const schema = this.opts.apiSchema();
    if (!schema) {
      fail([{ message: 'Service is starting', extensions: { code: 'SERVICE_UNAVAILABLE' } }]);
      return () => {};
    }
    let doc: DocumentNode;
    try {
      doc = parse(payload.query, { maxTokens: 2000 });
    } catch (e) {
      fail([{ message: (e as Error).message, extensions: { code: 'INVALID_REQUEST' } }]);
      return () => {};
    }
    const errors = validate(schema, doc, operationLimitRules());
    if (errors.length) {
      fail(errors.map((e) => ({ message: e.message, extensions: { code: 'INVALID_REQUEST' } })));
      return () => {};
    }
    const op = getOperationAST(doc, payload.operationName ?? undefined);
    if (!op) {
      fail([{ message: 'Unknown operation', extensions: { code: 'INVALID_REQUEST' } }]);
      return () => {};
    }
    const variables = payload.variables ?? {};
    if (op.operation !== 'subscription') {
      // queries and mutations over the socket run once, like over HTTP
      let cancelled = false;
      this.opts.execute(principal, payload.query, variables).then(
        (r) => {
          if (cancelled) return;
          send(JSON.stringify({ id, type: 'next', payload: r }));
          send(JSON.stringify({ id, type: 'complete' }));
          done();
        },
        (e) =>
          fail([
            {
              message: e instanceof CockpitError ? e.message : 'Internal error',
              extensions: { code: e instanceof CockpitError ? e.code : 'INTERNAL_ERROR' },
            },
          ]),
      );
      return () => {
        cancelled = true;
      };
    }
    let plan: EventPlan;
    try {
      plan = planEventSubscription(schema, doc, op, variables);
    } catch (e) {
      fail([{ message: (e as Error).message, extensions: { code: 'INVALID_REQUEST' } }]);
      return () => {};
    }
    const group = this.groupFor(principal, plan);
    let stopped = false;
    const iterator = group.client.iterate<{ events: { id: string; cursor: string } }>({
      query: FEED_QUERY,
      variables: { after: plan.after ?? null, types: plan.types ?? null },
    });
    (async () => {
      try {
        for await (const result of iterator) {
          if (stopped) break;
          if (result.errors?.length) {
            fail(result.errors);
            stopped = true;
            break;
          }
          const ev = result.data?.events;
          if (!ev) continue;
          const bytes = await group.resolve(ev.id);
          if (stopped) break;
          if (bytes) send(`{"id":${JSON.stringify(id)},"type":"next","payload":${bytes}}`);
        }
        if (!stopped) {
          send(JSON.stringify({ id, type: 'complete' }));
          done();
        }
      } catch (e) {
        if (!stopped) {
          const errs = Array.isArray(e) ? e : [{ message: 'Live feed unavailable', extensions: { code: 'UPSTREAM_ERROR' } }];
          this.opts.log.warn({ err: e instanceof Error ? e.message : e }, 'subscription upstream failed');
          fail(errs);
        }
      } finally {
        group.release();
        if (group.refs === 0) {
          this.groups.delete(group.key);
          void group.dispose();
        }
      }
    })();
    return () => {
      stopped = true;
      void iterator.return?.();
    };
  }

  private groupFor(principal: Principal, plan: EventPlan): Group {
    // Everything that can change the answer for an event, and nothing else.
    const scope = {
      accountId: principal.accountId,
      superAdmin: principal.superAdmin,
      roles: [...principal.roles].sort(),
      scopes: [...principal.scopes].sort(),
      teamIds: [...principal.teamIds].sort(),
      orgIds: [...principal.orgIds].sort(),
      kind: principal.kind,
    };
    const key = createHash('sha256')
      .update(JSON.stringify([scope, plan.query, plan.responseKey, plan.variables]))
      .digest('hex');
    let g = this.groups.get(key);
    if (!g) {
      const representative: Principal = {
        ...principal,
        ...scope,
        subject: `subscription-group:${key.slice(0, 16)}`,
        requestId: `sub-${key.slice(0, 16)}`,
      };
      g = new Group(key, representative, plan, this.opts);
      this.groups.set(key, g);
    }
    g.refs++;
    return g;
  }
}

interface EventPlan {
  /** The client's variables that the per-event query uses. */
  variables: Record<string, unknown>;
  /** `query ($__eventId: ID!, …) { event(id: $__eventId) { …client selection } }` plus the client's fragments. */
  query: string;
  responseKey: string;
  after?: string;
  types?: string[];
}

/** Checks the subscription is `events` and rewrites its selection into a per-event query. */
export function planEventSubscription(
  schema: GraphQLSchema,
  doc: DocumentNode,
  op: OperationDefinitionNode,
  variables: Record<string, unknown>,
): EventPlan {
  const fields = op.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  if (fields.length !== 1 || op.selectionSet.selections.length !== 1 || fields[0].name.value !== 'events') {
    throw new GraphQLError('Subscribe to exactly one field: events');
  }
  const field = fields[0];
  const def = schema.getSubscriptionType()!.getFields().events;
  const args = getArgumentValues(def, field, variables) as { after?: string; types?: string[] };
  // keep only what the per-event query uses: the cursor and filter are the feed's business
  const fragments = doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const used = new Set<string>();
  visit(
    {
      kind: Kind.DOCUMENT,
      definitions: [{ ...op, selectionSet: field.selectionSet ?? op.selectionSet, variableDefinitions: [] }, ...fragments],
    },
    {
      Variable: (v) => {
        used.add(v.name.value);
      },
    },
  );
  for (const d of field.directives ?? []) visit(d, { Variable: (v) => void used.add(v.name.value) });
  const usedVariables = Object.fromEntries(Object.entries(variables).filter(([k]) => used.has(k)));
  const rewritten: OperationDefinitionNode = {
    ...op,
    operation: 'query' as never,
    name: { kind: Kind.NAME, value: 'CockpitEvent' },
    variableDefinitions: [
      ...(op.variableDefinitions ?? []).filter((v) => used.has(v.variable.name.value)),
      {
        kind: Kind.VARIABLE_DEFINITION,
        variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: '__eventId' } },
        type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
      },
    ],
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [
        {
          kind: Kind.FIELD,
          name: { kind: Kind.NAME, value: 'event' },
          arguments: [
            {
              kind: Kind.ARGUMENT,
              name: { kind: Kind.NAME, value: 'id' },
              value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: '__eventId' } },
            },
          ],
          directives: field.directives,
          selectionSet: field.selectionSet,
        },
      ],
    },
  };
  return {
    query: print({ kind: Kind.DOCUMENT, definitions: [rewritten, ...fragments] }),
    variables: usedVariables,
    responseKey: field.alias?.value ?? 'events',
    after: args.after,
    types: args.types,
  };
}

/** Subscribers sharing one upstream connection and one resolution per event. */
class Group {
  refs = 0;
  readonly client: Client;
  private readonly resolved = new Map<string, Promise<string | null>>();

  constructor(
    readonly key: string,
    private readonly principal: Principal,
    private readonly plan: EventPlan,
    private readonly opts: BridgeOptions,
  ) {
    this.client = createClient({
      url: opts.feedUrl(),
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 5,
      connectionParams: async () => ({ token: await signInternalToken(opts.internalKey, 'observability', principal) }),
    });
  }

  /** The serialized payload for an event, computed once for the whole group. */
  resolve(eventId: string): Promise<string | null> {
    let p = this.resolved.get(eventId);
    if (!p) {
      p = this.opts
        .execute(this.principal, this.plan.query, { ...this.plan.variables, __eventId: eventId })
        .then((r) => {
          const node = r.data?.event ?? null;
          if (node === null && !r.errors?.length) return null;
          return JSON.stringify(
            r.errors?.length ? { data: { [this.plan.responseKey]: node }, errors: r.errors } : { data: { [this.plan.responseKey]: node } },
          );
        })
        .catch((err) => {
          this.opts.log.error({ err }, 'event resolution failed');
          return JSON.stringify({ data: null, errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_ERROR' } }] });
        });
      this.resolved.set(eventId, p);
      if (this.resolved.size > RESOLVED_CACHE_SIZE) this.resolved.delete(this.resolved.keys().next().value!);
    }
    return p;
  }

  release() {
    this.refs--;
  }

  async dispose() {
    await this.client.dispose();
  }
}
