import { randomBytes, type KeyObject } from 'node:crypto';
import { Client } from 'pg';
import { generateInternalKeys, INTERNAL_TOKEN_HEADER, loadPrivateKey, loadPublicKey, signInternalToken } from './internal-token';
import { startEmbeddedPostgres } from './pglite';
import type { Principal } from './principal';
import { createLogger } from './log';
import type { OutboxEvent } from './outbox';
import type { BuiltSubgraph, SubgraphConfig } from './subgraph';

/**
 * Test support shared by subgraph and end-to-end suites: a fresh database per
 * test file (PGlite in memory, or a new database on DATABASE_URL's server).
 */
export async function freshDatabase(): Promise<{ url: string; close(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (!base) return startEmbeddedPostgres();
  const name = `cockpit_t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async close() {
      const c = new Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface TestKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
}
export function testKeys(): TestKeys {
  const k = generateInternalKeys();
  return { privateKey: loadPrivateKey(k.privateKeyPem), publicKey: loadPublicKey(k.publicKeyPem) };
}

export const testLogger = () => createLogger('test', process.env.LOG_LEVEL ?? 'silent');

export function principal(p: Partial<Principal> = {}): Principal {
  return {
    subject: 'test-user',
    kind: 'USER',
    accountId: null,
    roles: [],
    teamIds: [],
    orgIds: [],
    scopes: [],
    superAdmin: false,
    requestId: `req-${randomBytes(4).toString('hex')}`,
    ...p,
  };
}

/** POSTs a GraphQL operation straight to a subgraph with a signed internal token (or none). */
export async function callSubgraph(
  url: string,
  audience: string,
  key: KeyObject | null,
  who: Principal,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers[INTERNAL_TOKEN_HEADER] = await signInternalToken(key, audience, who);
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: await res.json() };
}

/**
 * One subgraph built by its factory (`createBudgetsSubgraph`…) on a fresh
 * database, listening on a loopback port, with signed calls, a statement
 * recorder and owner-level SQL: the bootstrap every subgraph suite shares.
 * With `databaseUrl` in `extra` it runs on that database instead (replicas of
 * one service), which the caller creates and drops.
 */
export async function startTestSubgraph<C extends SubgraphConfig>(
  create: (cfg: C) => Promise<BuiltSubgraph>,
  extra: Omit<C, keyof SubgraphConfig> & Partial<SubgraphConfig> = {} as Omit<C, keyof SubgraphConfig>,
) {
  const keys = testKeys();
  const db = extra.databaseUrl ? { url: extra.databaseUrl, close: async () => undefined } : await freshDatabase();
  let recording: string[] | null = null;
  const server = await create({
    databaseUrl: db.url,
    gatewayPublicKey: keys.publicKey,
    serviceKey: keys.privateKey,
    observabilityUrl: 'http://127.0.0.1:9/unused',
    log: testLogger(),
    onQuery: (sql: string) => recording?.push(sql),
    // catalog seals connection secrets under it (the other subgraphs ignore it)
    secretKeys: `test:${randomBytes(32).toString('base64')}`,
    ...extra,
  } as C);
  const url = await server.listen();
  const audience = server.name;
  return {
    keys,
    db,
    server,
    url,
    /** A GraphQL operation as `who`, signed for this subgraph. */
    async call(who: Principal, query: string, variables?: Record<string, unknown>) {
      return (await callSubgraph(url, audience, keys.privateKey, who, query, variables)).body as { data?: any; errors?: any[] };
    },
    /** Runs `fn` and returns the SQL statements the ORM sent meanwhile. */
    async statements(fn: () => Promise<unknown>): Promise<string[]> {
      recording = [];
      try {
        await fn();
        return recording;
      } finally {
        recording = null;
      }
    },
    /** POSTs to an internal route as `who`. */
    async route(path: string, who: Principal, body: unknown) {
      const res = await fetch(url.replace(/\/graphql$/, path), {
        method: 'POST',
        headers: { 'content-type': 'application/json', [INTERNAL_TOKEN_HEADER]: await signInternalToken(keys.privateKey, audience, who) },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as any };
    },
    /** Raw SQL as the database owner (bypasses RLS): for asserting what is at rest. */
    sql: (q: string, params: unknown[] = []): Promise<any[]> => server.orm.em.getConnection().execute(q, params),
    /** The events a subgraph's outbox holds, oldest first. */
    async outbox(): Promise<OutboxEvent[]> {
      const rows = await server.orm.em.getConnection().execute(`select body from "${audience}"."outbox" order by id`);
      return rows.map((r) => (typeof r.body === 'string' ? JSON.parse(r.body) : r.body));
    },
    async close() {
      await server.close();
      await db.close();
    },
  };
}
export type TestSubgraph = Awaited<ReturnType<typeof startTestSubgraph>>;
