import { generateKeyPairSync } from 'node:crypto';
import { inTenantTx, principal } from '@cockpit/kit';
import { member, newAccount, startIdentity, superOn, type Identity } from './helpers';

/**
 * RLS is the last line between tenants: with the ORM's
 * filters out of the way — raw SQL as the app role — each account sees only its
 * own rows in every identity table. Tables are found in the catalog, so a new
 * table is covered (or fails the test) without editing it.
 */

/** Identity tables with no account: platform principals and plumbing. A table missing RLS must be named here to pass. */
// answer_generation: write counters per account (the answer cache), no tenant data
const PLATFORM_TABLES = ['answer_generation', 'answer_generation_pending', 'mikro_orm_migrations', 'service_account'];

const ok = (r: { data?: any; errors?: any[] }) => {
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
};

describe('identity: tenant isolation by row-level security', () => {
  let id: Identity;
  const accounts: string[] = [];

  /** One row in every identity table for the account, written through the API as its users would. */
  async function populate(accountId: string) {
    const admin = member(accountId, 'ADMIN');
    const owner = member(accountId, 'OWNER');
    ok(await id.call(owner, `mutation { addAccountAdmin(input: { email: "viewer@example.com", role: VIEWER }) { id } }`));
    const org = ok(await id.call(admin, `mutation { createOrg(input: { name: "eng", domain: COPILOT }) { id } }`)).createOrg.id;
    const team = ok(await id.call(admin, `mutation($o: ID!) { createTeam(input: { orgId: $o, name: "core" }) { id } }`, { o: org }))
      .createTeam.id;
    const user = ok(
      await id.call(admin, `mutation { createUser(input: { email: "dev@example.com", displayName: "Dev", domain: COPILOT }) { id } }`),
    ).createUser.id;
    ok(
      await id.call(admin, `mutation($t: ID!, $u: ID!) { addTeamMember(input: { teamId: $t, userId: $u }) { id } }`, { t: team, u: user }),
    );
    ok(await id.call(admin, `mutation { createApiKey(input: { name: "k", tier: CLIENT }) { secret } }`));
    const raw = Buffer.from(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64');
    const agent = ok(
      await id.call(admin, `mutation($i: RegisterRuntimeAgentInput!) { registerRuntimeAgent(input: $i) { id } }`, {
        i: { hostname: 'h', agentVersion: '1', platform: 'linux', publicKey: raw },
      }),
    ).registerRuntimeAgent.id;
    const client = principal({ kind: 'API_KEY', subject: 'api-key:client', accountId, roles: ['END_USER'] });
    ok(await id.call(client, `mutation($a: ID!) { agentChallenge(agentId: $a) { nonce } }`, { a: agent }));
    ok(
      await id.call(superOn(accountId), `mutation($i: SetAccountSsoInput!) { setAccountSso(input: $i) { issuer } }`, {
        i: { provider: 'GENERIC', issuer: `https://sso-${accountId}.example.com`, clientId: 'cockpit' },
      }),
    );
  }

  beforeAll(async () => {
    id = await startIdentity();
    for (let i = 0; i < 2; i++) {
      const a = await newAccount(id);
      accounts.push(a.id);
      await populate(a.id);
    }
  }, 60_000);
  afterAll(() => id.close());

  /** Every identity table, with its RLS flags and the column naming its account. */
  async function tables(): Promise<{ name: string; rls: boolean; forced: boolean; column: string | null }[]> {
    const rows = await id.sql(
      `select c.relname as name, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
              (select min(k.column_name) from information_schema.columns k
                where k.table_schema = 'identity' and k.table_name = c.relname and k.column_name = 'account_id') as column
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'identity' and c.relkind = 'r' order by 1`,
    );
    // the account table is its own tenant key
    return rows.map((r: any) => ({ name: r.name, rls: r.rls, forced: r.forced, column: r.name === 'account' ? 'id' : r.column }));
  }

  it('forces RLS on every table but the named platform ones', async () => {
    const all = await tables();
    expect(all.length).toBeGreaterThan(8);
    const unprotected = all.filter((t) => !(t.rls && t.forced)).map((t) => t.name);
    expect(unprotected.sort()).toEqual(PLATFORM_TABLES);
    for (const t of all.filter((x) => x.rls))
      expect({ table: t.name, column: t.column }).toEqual({ table: t.name, column: expect.any(String) });
  });

  it('shows the app role only its own account’s rows in every tenant table, with raw SQL', async () => {
    const [a, b] = accounts;
    const tenant = (await tables()).filter((t) => t.rls && t.column);
    const empty: string[] = [];
    for (const t of tenant) {
      const everyone = await id.sql(`select distinct ${t.column}::text as acct from identity.${t.name}`);
      // the fixture wrote both accounts into the table (as owner, RLS does not apply), so a filter would show
      if (!everyone.some((r: any) => r.acct === b)) empty.push(t.name);
      const seen = await inTenantTx(id.server.orm.em.fork(), { accountId: a }, (em) =>
        em.execute(`select ${t.column}::text as acct, current_user as who from identity.${t.name}`),
      );
      expect({ table: t.name, accounts: [...new Set(seen.map((r: any) => r.acct))] }).toEqual({ table: t.name, accounts: [a] });
      expect(seen[0].who).toBe('cockpit_app');
      // no account set: nothing at all
      const none = await inTenantTx(id.server.orm.em.fork(), { accountId: null }, (em) => em.execute(`select 1 from identity.${t.name}`));
      expect({ table: t.name, rows: none.length }).toEqual({ table: t.name, rows: 0 });
    }
    expect(empty).toEqual([]);
  });

  it('refuses the app role a write into another account, and an update that moves a row there', async () => {
    const [a, b] = accounts;
    const em = () => id.server.orm.em.fork();
    await expect(
      inTenantTx(em(), { accountId: a }, (tx) =>
        tx.execute(
          `insert into identity.org (id, account_id, name, domain, created_at) values (gen_random_uuid(), ?, 'forged', 'COPILOT', now())`,
          [b],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(
      inTenantTx(em(), { accountId: a }, (tx) => tx.execute(`update identity.app_user set account_id = ?`, [b])),
    ).rejects.toThrow(/row-level security/);
    // and another account's rows cannot be touched at all: zero rows match
    const res = await inTenantTx(em(), { accountId: a }, (tx) =>
      tx.execute(`delete from identity.api_key where account_id = ?`, [b], 'run'),
    );
    expect((res as any).affectedRows ?? (res as any).rowCount ?? 0).toBe(0);
    const left = await id.sql(`select count(*)::int as n from identity.api_key where account_id = ?`, [b]);
    expect(left[0].n).toBeGreaterThan(0);
  });
});
