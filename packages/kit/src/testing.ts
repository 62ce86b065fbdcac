import { randomBytes, type KeyObject } from 'node:crypto';
import { Client } from 'pg';
import { generateInternalKeys, INTERNAL_TOKEN_HEADER, loadPrivateKey, loadPublicKey, signInternalToken } from './internal-token';
import { startEmbeddedPostgres } from './pglite';
import type { Principal } from './principal';
import { createLogger } from './log';

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
