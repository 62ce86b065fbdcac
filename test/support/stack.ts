import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { startStack, type Stack, type StackOptions } from '@cockpit/cli';
import { createPostgresLiveBus, type LiveBus } from '@cockpit/observability';
import type { ClaimMapping } from '@cockpit/gateway';
import { EMBEDDED_DB_BOUNDS, freshDatabase, testKeys, testLogger } from '@cockpit/kit';
import { startTestIssuer, type TestIssuer } from './oidc';

export interface GqlResult {
  status: number;
  headers: Headers;
  body: {
    data?: any;
    errors?: { message: string; extensions: { code: string; requestId?: string; retryable?: boolean; details?: Record<string, string> } }[];
  };
}

export interface TestStack extends Stack {
  issuer: TestIssuer;
  masterKey: string;
  /** POSTs an operation to the gateway as `token` (master key, API key or JWT), optionally acting on `accountId`. */
  gql(
    query: string,
    variables?: Record<string, unknown>,
    as?: { token?: string; accountId?: string; headers?: Record<string, string> },
  ): Promise<GqlResult>;
  /** A real OIDC access token from the test issuer. */
  tokenFor(role: string, accountId?: string, sub?: string): Promise<string>;
  /** A graphql-ws client on the gateway. */
  wsClient(token: string, extra?: Record<string, unknown>): Client;
}

export interface TestStackOptions {
  /** The gateway's claim mapping for the deployment issuer (default: `roles`, `cockpit_account_id`). */
  claims?: ClaimMapping;
  /** TTL of the gateway's API-key and account-status caches (default 30). */
  apiKeyCacheSeconds?: number;
  /** Minimum seconds between JWKS refetches on an unknown kid (gateway default 30). */
  jwksCooldownSeconds?: number;
  /** Production mode and its edge settings (development by default). */
  edge?: StackOptions['edge'];
  log?: StackOptions['log'];
  /** The database to use instead of a fresh one (a test that cuts the database off passes a proxy to it). */
  databaseUrl?: string;
  /** Observability's live bus on PostgreSQL LISTEN/NOTIFY, as replicas share it (needs DATABASE_URL). */
  postgresLiveBus?: boolean;
  /** Observability's live bus, when the test watches it (e.g. its subscriber count). */
  liveBus?: LiveBus;
  /** The gateway's graphql-ws caps. */
  live?: StackOptions['live'];
  /** The subgraphs' clock (budget cycles are crossed by moving it); never reachable from the API. */
  now?: () => Date;
  /** Catalog's key-encryption keys (default: a random one). */
  secretKeys?: string;
  /** Where every service exports its spans (off by default). */
  tracing?: StackOptions['tracing'];
  /** Called with every SQL statement the subgraphs' ORMs send (to count a request's statements). */
  onQuery?: StackOptions['onQuery'];
}

/** The whole stack on free loopback ports against a fresh database, plus a real OpenID provider process. */
export async function startTestStack(opts: TestStackOptions = {}): Promise<TestStack> {
  const db = opts.databaseUrl ? { url: opts.databaseUrl, close: async () => {} } : await freshDatabase();
  const issuer = await startTestIssuer();
  const masterKey = `mk-${randomBytes(24).toString('hex')}`;
  let stack: Stack;
  const bus = opts.postgresLiveBus ? await createPostgresLiveBus({ url: db.url, log: testLogger() }) : undefined;
  const liveBus = bus ?? opts.liveBus;
  try {
    stack = await startStack({
      liveBus,
      databaseUrl: db.url,
      port: 0,
      randomPorts: true,
      internalKey: testKeys(),
      masterKey,
      issuers: [{ issuer: issuer.issuer, audience: 'cockpit' }],
      logLevel: process.env.LOG_LEVEL ?? 'silent',
      claims: opts.claims,
      apiKeyCacheSeconds: opts.apiKeyCacheSeconds,
      jwksCooldownSeconds: opts.jwksCooldownSeconds,
      edge: opts.edge,
      live: opts.live,
      log: opts.log,
      now: opts.now,
      secretKeys: opts.secretKeys,
      tracing: opts.tracing,
      onQuery: opts.onQuery,
      // freshDatabase() is the embedded database unless DATABASE_URL names a server
      dbBounds: process.env.DATABASE_URL ? undefined : EMBEDDED_DB_BOUNDS,
    });
  } catch (err) {
    await bus?.close();
    await issuer.stop();
    await db.close();
    throw err;
  }
  const clients: Client[] = [];
  return {
    ...stack,
    issuer,
    masterKey,
    async gql(query, variables, as = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...as.headers };
      if (as.token) headers.authorization = `Bearer ${as.token}`;
      if (as.accountId) headers['x-account-id'] = as.accountId;
      const res = await fetch(stack.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      return { status: res.status, headers: res.headers, body: (await res.json()) as GqlResult['body'] };
    },
    tokenFor(role, accountId, sub) {
      const claims: Record<string, unknown> = { sub: sub ?? `user-${role.toLowerCase()}-${randomBytes(3).toString('hex')}`, roles: [role] };
      if (accountId) claims.cockpit_account_id = accountId;
      return issuer.token(claims);
    },
    wsClient(token, extra = {}) {
      const c = createClient({
        url: stack.wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}`, ...extra },
        retryAttempts: 0,
        lazy: true,
      });
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) await c.dispose();
      await stack.close();
      await bus?.close();
      await issuer.stop();
      await db.close();
    },
  };
}

/** Fails the test with the response's errors when there are any; returns `data`. */
export function ok(r: GqlResult): any {
  if (r.body.errors?.length) throw new Error(`GraphQL errors (HTTP ${r.status}): ${JSON.stringify(r.body.errors, null, 2)}`);
  return r.body.data;
}

export const codeOf = (r: GqlResult) => r.body.errors?.[0]?.extensions?.code;

/**
 * Waits until `check` returns a truthy value (events travel through the outbox asynchronously).
 * The bound only ends a wait that will never succeed: it asserts no speed, so it is generous
 * enough for a loaded 2-core machine.
 */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
