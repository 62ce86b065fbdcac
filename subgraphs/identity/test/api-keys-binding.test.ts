import { createHash } from 'node:crypto';
import { servicePrincipal } from '@cockpit/kit';
import { LOOKUP_PATH } from '../src';
import { member, newAccount, outboxTypes, platformAdmin, startIdentity, type Identity } from './helpers';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const CREATE = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id tier scopes modelAllowlist expiresAt user { id email } } } }`;
const CREATE_USER = `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`;
const ADD_ADMIN = `mutation($i: AddAccountAdminInput!) { addAccountAdmin(input: $i) { id } }`;

/** ID6: keys bound to a user act with that user's role capped by the tier; scopes, allowlist and expiry are validated. */
describe('identity: API keys bound to users, their roles and their limits', () => {
  let id: Identity;
  beforeAll(async () => {
    id = await startIdentity();
  });
  afterAll(() => id.close());

  const lookup = async (secret: string) => (await id.route(LOOKUP_PATH, servicePrincipal('gateway'), { hash: sha256(secret) })).body.key;
  const create = (who: ReturnType<typeof member> | ReturnType<typeof platformAdmin>, i: Record<string, unknown>) =>
    id.call(who, CREATE, { i });
  async function user(accountId: string, email: string, domain = 'CONSOLE'): Promise<string> {
    const r = await id.call(member(accountId, 'ADMIN'), CREATE_USER, { i: { email, displayName: email, domain } });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data.createUser.id;
  }
  const grant = async (accountId: string, email: string, role: string) => {
    const r = await id.call(member(accountId, 'OWNER'), ADD_ADMIN, { i: { email, role } });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data.addAccountAdmin.id as string;
  };

  it("gives a user-bound ADMIN key the user's admin role, capped at ADMIN, and VIEWER when the user administers nothing", async () => {
    const a = await newAccount(id);
    const admin = member(a.id, 'ADMIN');
    const owner = await user(a.id, 'Olga@Example.com'); // the account-admin entry is matched case-insensitively
    const operator = await user(a.id, 'oscar@example.com', 'COPILOT');
    const nobody = await user(a.id, 'nina@example.com');
    await grant(a.id, 'olga@example.com', 'OWNER');
    const oscarAdmin = await grant(a.id, 'oscar@example.com', 'OPERATOR');

    const cases: [string | null, string, string[]][] = [
      [owner, 'ADMIN', ['ADMIN']],
      [operator, 'ADMIN', ['OPERATOR']],
      [nobody, 'ADMIN', ['VIEWER']],
      [null, 'ADMIN', ['ADMIN']],
      [owner, 'CLIENT', ['END_USER']],
      [null, 'CLIENT', ['END_USER']],
    ];
    const secrets: string[] = [];
    for (const [userId, tier, roles] of cases) {
      const r = await create(admin, { name: `k-${tier}`, tier, ...(userId ? { userId } : {}) });
      expect(r.errors).toBeUndefined();
      const { secret, apiKey } = r.data.createApiKey;
      secrets.push(secret);
      expect(apiKey.user?.id ?? null).toBe(userId);
      expect(await lookup(secret)).toMatchObject({ id: apiKey.id, accountId: a.id, userId, tier, roles });
    }
    // the role is read at lookup time: demoting the user demotes the key
    const r = await id.call(member(a.id, 'OWNER'), `mutation($i: SetAccountAdminRoleInput!) { setAccountAdminRole(input: $i) { role } }`, {
      i: { id: oscarAdmin, role: 'VIEWER' },
    });
    expect(r.errors).toBeUndefined();
    expect((await lookup(secrets[1])).roles).toEqual(['VIEWER']);

    // the binding is audited with the key
    const created = (await outboxTypes(id)).filter((e) => e.type === 'api_key.created' && e.accountId === a.id);
    expect(created.map((e) => e.payload.userId)).toEqual(cases.map(([u]) => u));
  });

  it('makes a platform ADMIN key a super admin and a platform CLIENT key an end user', async () => {
    const adminKey = (await create(platformAdmin(), { name: 'p-admin', tier: 'ADMIN' })).data.createApiKey.secret;
    const clientKey = (await create(platformAdmin(), { name: 'p-client', tier: 'CLIENT' })).data.createApiKey.secret;
    expect(await lookup(adminKey)).toMatchObject({ accountId: null, roles: ['SUPER_ADMIN'] });
    expect(await lookup(clientKey)).toMatchObject({ accountId: null, roles: ['END_USER'] });
  });

  it("answers NOT_FOUND for a user that is not the account's, and stores nothing", async () => {
    const a = await newAccount(id);
    const b = await newAccount(id);
    const theirs = await user(b.id, 'bob@example.com');
    const count = async () => Number((await id.sql(`select count(*)::int as n from identity.api_key`))[0].n);
    const before = await count();
    for (const userId of [theirs, '0190a000-0000-7000-8000-000000000000', 'not-a-uuid']) {
      const r = await create(member(a.id, 'ADMIN'), { name: 'k', tier: 'ADMIN', userId });
      expect(r.errors?.[0].extensions.code).toBe('NOT_FOUND');
    }
    // platform keys belong to no account, so to no user
    const p = await create(platformAdmin(), { name: 'k', tier: 'ADMIN', userId: theirs });
    expect(p.errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect(await count()).toBe(before);
  });

  it('accepts RBAC action patterns as scopes and refuses anything else with details.scopes', async () => {
    const a = await newAccount(id);
    const admin = member(a.id, 'ADMIN');
    const good = await create(admin, { name: 'scoped', tier: 'ADMIN', scopes: ['directory.*', 'audit.read', '*'] });
    expect(good.errors).toBeUndefined();
    expect(good.data.createApiKey.apiKey.scopes).toEqual(['directory.*', 'audit.read', '*']);
    expect((await lookup(good.data.createApiKey.secret)).scopes).toEqual(['directory.*', 'audit.read', '*']);
    for (const scopes of [['directory.delete'], ['nothing.*'], [''], ['directory'], ['audit.read', 'audit.*.x'], ['DIRECTORY.*']]) {
      const r = await create(admin, { name: 'bad', tier: 'ADMIN', scopes });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { scopes: expect.any(String) } });
    }
  });

  it('stores the model allowlist and returns it from the lookup; expiry must be in the future', async () => {
    const a = await newAccount(id);
    const admin = member(a.id, 'ADMIN');
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const r = await create(admin, { name: 'models', tier: 'CLIENT', modelAllowlist: ['gpt-4o', ' claude-sonnet ', 'gpt-4o'], expiresAt });
    expect(r.errors).toBeUndefined();
    expect(r.data.createApiKey.apiKey).toMatchObject({ modelAllowlist: ['gpt-4o', 'claude-sonnet'], expiresAt });
    expect(await lookup(r.data.createApiKey.secret)).toMatchObject({ modelAllowlist: ['gpt-4o', 'claude-sonnet'], expiresAt });

    for (const bad of [new Date(Date.now() - 1000).toISOString(), '2001-01-01T00:00:00Z']) {
      const e = await create(admin, { name: 'old', tier: 'CLIENT', expiresAt: bad });
      expect(e.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { expiresAt: 'must be in the future' } });
    }
    const empty = await create(admin, { name: 'm', tier: 'CLIENT', modelAllowlist: [''] });
    expect(empty.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { modelAllowlist: expect.any(String) } });
  });
});
