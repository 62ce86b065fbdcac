import {
  callSubgraph,
  freshDatabase,
  principal,
  signInternalToken,
  testKeys,
  testLogger,
  INTERNAL_TOKEN_HEADER,
  type BuiltSubgraph,
  type Principal,
} from '@cockpit/kit';
import { createIdentitySubgraph } from '../src';

/** One identity server on a fresh database per test file, with a statement recorder. */
export async function startIdentity() {
  const keys = testKeys();
  const db = await freshDatabase();
  let recording: string[] | null = null;
  const server: BuiltSubgraph = await createIdentitySubgraph({
    databaseUrl: db.url,
    gatewayPublicKey: keys.publicKey,
    serviceKey: keys.privateKey,
    observabilityUrl: 'http://127.0.0.1:9/unused',
    log: testLogger(),
    onQuery: (sql) => recording?.push(sql),
  });
  const url = await server.listen();
  const call = async (who: Principal, query: string, variables?: Record<string, unknown>) => {
    const r = await callSubgraph(url, 'identity', keys.privateKey, who, query, variables);
    return r.body as { data?: any; errors?: any[] };
  };
  return {
    keys,
    server,
    url,
    call,
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
        headers: { 'content-type': 'application/json', [INTERNAL_TOKEN_HEADER]: await signInternalToken(keys.privateKey, 'identity', who) },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as any };
    },
    /** Raw SQL as the database owner (bypasses RLS): for asserting what is at rest. */
    sql: (q: string, params: unknown[] = []) => server.orm.em.getConnection().execute(q, params),
    async close() {
      await server.close();
      await db.close();
    },
  };
}
export type Identity = Awaited<ReturnType<typeof startIdentity>>;

export const platformAdmin = () => principal({ superAdmin: true, roles: ['SUPER_ADMIN'], subject: 'root' });
export const superOn = (accountId: string) => principal({ superAdmin: true, roles: ['SUPER_ADMIN'], accountId, subject: 'root' });
export const member = (accountId: string, role: 'OWNER' | 'ADMIN' | 'OPERATOR' | 'VIEWER') =>
  principal({ accountId, roles: [role], subject: `${role.toLowerCase()}@test` });

let n = 0;
/** A new account with a unique name, created by a platform super admin. */
export async function newAccount(id: Identity, name = `acct-${process.pid}-${Date.now()}-${n++}`): Promise<{ id: string; name: string }> {
  const r = await id.call(platformAdmin(), `mutation($i: CreateAccountInput!) { createAccount(input: $i) { id name } }`, {
    i: { name, emailDomain: 'example.com', planTier: 'TEAM' },
  });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.createAccount;
}

export const outboxTypes = async (
  id: Identity,
): Promise<{ type: string; accountId: string; domain: string; payload: any; subject: any }[]> =>
  (await id.sql(`select body from identity.outbox order by id`)).map((r: any) =>
    typeof r.body === 'string' ? JSON.parse(r.body) : r.body,
  );
