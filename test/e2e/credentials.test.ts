import { randomUUID } from 'node:crypto';
import { agentKeys } from '../support/agent';
import { codeOf, eventually, ok, startTestStack, type GqlResult, type TestStack } from '../support/stack';

/**
 * Credentials through the gateway: API keys (ID6) with their scopes, expiry,
 * user binding and last-used time; service accounts (ID8) and runtime-agent
 * registration (ID9) — each with the codes its bad inputs get.
 */
describe('credentials through the gateway: API keys, service accounts, agent keys', () => {
  let s: TestStack;
  let acme: string;
  let globex: string;
  let admin: string;

  const CREATE_KEY = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id tier scopes modelAllowlist expiresAt lastUsedAt user { id } } } }`;
  const createKey = (input: Record<string, unknown>, token = admin) => s.gql(CREATE_KEY, { i: input }, { token });
  const details = (r: GqlResult) => r.body.errors?.[0]?.extensions?.details ?? {};

  beforeAll(async () => {
    s = await startTestStack();
    const create = `mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }`;
    acme = ok(await s.gql(create, { i: { name: 'Acme Keys', emailDomain: 'acme.example', planTier: 'TEAM' } }, { token: s.masterKey }))
      .createAccount.id;
    globex = ok(
      await s.gql(create, { i: { name: 'Globex Keys', emailDomain: 'globex.example', planTier: 'TEAM' } }, { token: s.masterKey }),
    ).createAccount.id;
    admin = await s.tokenFor('ADMIN', acme);
  });
  afterAll(() => s.close());

  describe('API keys (ID6)', () => {
    it('limits a key to its scopes', async () => {
      const key = ok(await createKey({ name: 'reader', tier: 'ADMIN', scopes: ['account.read', 'directory.read'] })).createApiKey;
      expect(key.apiKey).toMatchObject({ tier: 'ADMIN', scopes: ['account.read', 'directory.read'] });
      const me = ok(
        await s.gql(
          `{ viewer { kind roles scopes superAdmin accountId account { name } } account { orgs { nodes { name } } } }`,
          {},
          { token: key.secret },
        ),
      );
      expect(me.viewer).toEqual({
        kind: 'API_KEY',
        roles: ['ADMIN'],
        scopes: ['account.read', 'directory.read'],
        superAdmin: false,
        accountId: acme,
        account: { name: 'Acme Keys' },
      });
      expect(me.account.orgs.nodes).toEqual([{ name: 'global' }]);
      const write = await s.gql(`mutation { createOrg(input: { name: "nope", domain: COPILOT }) { id } }`, {}, { token: key.secret });
      expect(codeOf(write)).toBe('FORBIDDEN');
      const keys = await s.gql(`{ apiKeys { totalCount } }`, {}, { token: key.secret });
      expect(codeOf(keys)).toBe('FORBIDDEN');
    });

    it('keeps the model allow-list and refuses a key past its expiry with 401', async () => {
      const expiresAt = new Date(Date.now() + 1500).toISOString();
      const key = ok(
        await createKey({ name: 'short', tier: 'CLIENT', modelAllowlist: ['gpt-4o', 'claude-sonnet'], expiresAt }),
      ).createApiKey;
      expect(key.apiKey).toMatchObject({
        tier: 'CLIENT',
        modelAllowlist: ['gpt-4o', 'claude-sonnet'],
        expiresAt: new Date(expiresAt).toISOString(),
      });
      expect(ok(await s.gql(`{ viewer { kind roles accountId account { name } } }`, {}, { token: key.secret })).viewer).toEqual({
        kind: 'API_KEY',
        roles: ['END_USER'],
        accountId: acme,
        account: null,
      });
      await new Promise((r) => setTimeout(r, 1600));
      // the gateway holds the key in its cache, yet checks the expiry on every request
      const late = await s.gql(`{ viewer { kind } }`, {}, { token: key.secret });
      expect(late.status).toBe(401);
      expect(codeOf(late)).toBe('UNAUTHORIZED');
      expect(late.body.errors?.[0].message).toMatch(/expired/);
    });

    it('stamps lastUsedAt after use, without the key being listed as unused', async () => {
      const key = ok(await createKey({ name: 'used', tier: 'CLIENT' })).createApiKey;
      expect(key.apiKey.lastUsedAt).toBeNull();
      const before = Date.now();
      ok(await s.gql(`{ viewer { kind } }`, {}, { token: key.secret }));
      const stamped = await eventually(async () => {
        const r = ok(await s.gql(`query($id: ID!) { apiKey(id: $id) { lastUsedAt } }`, { id: key.apiKey.id }, { token: admin }));
        return r.apiKey.lastUsedAt as string | null;
      });
      expect(Date.parse(stamped)).toBeGreaterThanOrEqual(before - 1000);
    });

    it('binds a key to a user of the account, never another account’s', async () => {
      const user = ok(
        await s.gql(
          `mutation { createUser(input: { email: "dev@acme.example", displayName: "Dev", domain: COPILOT }) { id } }`,
          {},
          { token: admin },
        ),
      ).createUser.id;
      const bound = ok(await createKey({ name: 'bound', tier: 'CLIENT', userId: user })).createApiKey;
      expect(bound.apiKey.user).toEqual({ id: user });
      const globexAdmin = await s.tokenFor('ADMIN', globex);
      expect(codeOf(await createKey({ name: 'theirs', tier: 'CLIENT', userId: user }, globexAdmin))).toBe('NOT_FOUND');
      expect(codeOf(await createKey({ name: 'ghost', tier: 'CLIENT', userId: randomUUID() }))).toBe('NOT_FOUND');
    });

    it('answers bad input with VALIDATION_ERROR per field, and FORBIDDEN to the wrong role', async () => {
      const bad = await createKey({
        name: '',
        tier: 'ADMIN',
        scopes: ['nuclear.launch'],
        expiresAt: new Date(Date.now() - 60_000).toISOString(),
      });
      expect(codeOf(bad)).toBe('VALIDATION_ERROR');
      expect(Object.keys(details(bad)).sort()).toEqual(['expiresAt', 'name', 'scopes']);
      expect(codeOf(await createKey({ name: 'v', tier: 'CLIENT' }, await s.tokenFor('VIEWER', acme)))).toBe('FORBIDDEN');
      const client = ok(await createKey({ name: 'client', tier: 'CLIENT' })).createApiKey.secret;
      expect(codeOf(await createKey({ name: 'escalate', tier: 'ADMIN' }, client))).toBe('FORBIDDEN');
      expect(codeOf(await s.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: randomUUID() }, { token: admin }))).toBe(
        'NOT_FOUND',
      );
      expect(codeOf(await s.gql(`mutation { revokeApiKey(id: "not-a-uuid") { id } }`, {}, { token: admin }))).toBe('NOT_FOUND');
    });
  });

  describe('service accounts (ID8)', () => {
    const CREATE = `mutation($i: CreateServiceAccountInput!) { createServiceAccount(input: $i) { secret serviceAccount { id name scopes } } }`;

    it('creates a named service principal whose key acts across accounts within its scopes', async () => {
      const sa = ok(
        await s.gql(CREATE, { i: { name: 'alchemi-ai', scopes: ['account.read', 'audit.read'] } }, { token: s.masterKey }),
      ).createServiceAccount;
      expect(sa.serviceAccount).toMatchObject({ name: 'alchemi-ai', scopes: ['account.read', 'audit.read'] });
      const read = ok(
        await s.gql(
          `{ viewer { kind subject superAdmin } account { name } auditLog(first: 1) { totalCount } }`,
          {},
          { token: sa.secret, accountId: globex },
        ),
      );
      expect(read.viewer).toEqual({ kind: 'SERVICE', subject: 'service:alchemi-ai', superAdmin: true });
      expect(read.account.name).toBe('Globex Keys');
      const write = await s.gql(
        `mutation { createOrg(input: { name: "x", domain: COPILOT }) { id } }`,
        {},
        { token: sa.secret, accountId: globex },
      );
      expect(codeOf(write)).toBe('FORBIDDEN');
      const listed = ok(await s.gql(`{ serviceAccounts { nodes { name } } }`, {}, { token: s.masterKey })).serviceAccounts.nodes;
      expect(listed.map((n: any) => n.name)).toContain('alchemi-ai');
      expect(JSON.stringify(listed)).not.toContain(sa.secret);
    });

    it('answers bad input, a taken name, an unknown id and a non-super-admin with the right codes', async () => {
      const bad = await s.gql(CREATE, { i: { name: 'Bad Name!', scopes: [] } }, { token: s.masterKey });
      expect(codeOf(bad)).toBe('VALIDATION_ERROR');
      expect(Object.keys(details(bad)).sort()).toEqual(['name', 'scopes']);
      expect(codeOf(await s.gql(CREATE, { i: { name: 'alchemi-x', scopes: ['nuclear.*'] } }, { token: s.masterKey }))).toBe(
        'VALIDATION_ERROR',
      );
      ok(await s.gql(CREATE, { i: { name: 'alchemi-web', scopes: ['*'] } }, { token: s.masterKey }));
      expect(codeOf(await s.gql(CREATE, { i: { name: 'alchemi-web', scopes: ['*'] } }, { token: s.masterKey }))).toBe('CONFLICT');
      expect(
        codeOf(await s.gql(`mutation($id: ID!) { disableServiceAccount(id: $id) { id } }`, { id: randomUUID() }, { token: s.masterKey })),
      ).toBe('NOT_FOUND');
      expect(codeOf(await s.gql(CREATE, { i: { name: 'mine', scopes: ['*'] } }, { token: await s.tokenFor('OWNER', acme) }))).toBe(
        'FORBIDDEN',
      );
    });
  });

  describe('runtime-agent registration (ID9)', () => {
    const REGISTER = `mutation($i: RegisterRuntimeAgentInput!) { registerRuntimeAgent(input: $i) { id status } }`;

    it('answers a bad key, a duplicate key, an unknown id and another tenant with the right codes', async () => {
      const bad = await s.gql(
        REGISTER,
        { i: { hostname: '', agentVersion: '1', platform: 'linux', publicKey: 'not-a-key' } },
        { token: admin },
      );
      expect(codeOf(bad)).toBe('VALIDATION_ERROR');
      expect(Object.keys(details(bad)).sort()).toEqual(['hostname', 'publicKey']);
      const key = agentKeys().publicKey;
      const agent = ok(
        await s.gql(REGISTER, { i: { hostname: 'h1', agentVersion: '1', platform: 'linux', publicKey: key } }, { token: admin }),
      ).registerRuntimeAgent;
      expect(agent.status).toBe('ACTIVE');
      expect(
        codeOf(
          await s.gql(
            REGISTER,
            { i: { hostname: 'h2', agentVersion: '1', platform: 'linux', publicKey: `ed25519:${key}` } },
            { token: admin },
          ),
        ),
      ).toBe('CONFLICT');
      const REVOKE = `mutation($id: ID!) { revokeRuntimeAgent(id: $id) { id status } }`;
      expect(codeOf(await s.gql(REVOKE, { id: randomUUID() }, { token: admin }))).toBe('NOT_FOUND');
      expect(codeOf(await s.gql(REVOKE, { id: agent.id }, { token: await s.tokenFor('ADMIN', globex) }))).toBe('NOT_FOUND');
      expect(codeOf(await s.gql(REVOKE, { id: agent.id }, { token: await s.tokenFor('VIEWER', acme) }))).toBe('FORBIDDEN');
      expect(ok(await s.gql(REVOKE, { id: agent.id }, { token: admin })).revokeRuntimeAgent.status).toBe('REVOKED');
    });
  });
});
