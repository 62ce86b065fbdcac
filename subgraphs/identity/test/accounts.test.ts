import { member, newAccount, outboxTypes, platformAdmin, startIdentity, superOn, type Identity } from './helpers';

describe('identity: accounts (ID1) and account admins (ID2)', () => {
  let id: Identity;
  beforeAll(async () => {
    id = await startIdentity();
  });
  afterAll(() => id.close());

  const CREATE = `mutation($i: CreateAccountInput!) { createAccount(input: $i) { id name emailDomain planTier status createdAt } }`;
  const ACCOUNT = `{ account { id name planTier orgs { totalCount nodes { name domain teamCount } } admins { email role } } }`;

  it('lets a platform super admin create an account with its default Copilot org `global`', async () => {
    const r = await id.call(platformAdmin(), CREATE, { i: { name: 'Acme', emailDomain: 'ACME.com', planTier: 'ENTERPRISE' } });
    expect(r.errors).toBeUndefined();
    const acct = r.data.createAccount;
    expect(acct).toMatchObject({ name: 'Acme', emailDomain: 'acme.com', planTier: 'ENTERPRISE', status: 'ACTIVE' });
    const read = await id.call(superOn(acct.id), ACCOUNT);
    expect(read.errors).toBeUndefined();
    expect(read.data.account).toMatchObject({
      id: acct.id,
      orgs: { totalCount: 1, nodes: [{ name: 'global', domain: 'COPILOT', teamCount: 0 }] },
      admins: [],
    });
    const events = (await outboxTypes(id)).filter((e) => e.type === 'account.created' && e.accountId === acct.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ domain: 'PLATFORM', subject: { type: 'Account', id: acct.id }, payload: { name: 'Acme' } });
  });

  it('also works for a super admin acting on another account (X-Account-Id)', async () => {
    const a = await newAccount(id);
    const r = await id.call(superOn(a.id), CREATE, { i: { name: 'Other Co', emailDomain: 'other.co' } });
    expect(r.errors).toBeUndefined();
    expect(r.data.createAccount).toMatchObject({ name: 'Other Co', planTier: 'FREE' });
  });

  it('answers VALIDATION_ERROR with details for a bad name and domain', async () => {
    const r = await id.call(platformAdmin(), CREATE, { i: { name: '   ', emailDomain: 'not a domain' } });
    expect(r.errors?.[0].extensions).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { name: expect.any(String), emailDomain: expect.any(String) },
    });
    const long = await id.call(platformAdmin(), CREATE, { i: { name: 'x'.repeat(101), emailDomain: 'ok.com' } });
    expect(long.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { name: expect.any(String) } });
  });

  it('answers CONFLICT for a name already taken, case-insensitively', async () => {
    await newAccount(id, 'Globex');
    const r = await id.call(platformAdmin(), CREATE, { i: { name: 'GLOBEX', emailDomain: 'globex.com' } });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', details: { name: expect.any(String) } });
  });

  it('lets only super admins create or list accounts', async () => {
    const a = await newAccount(id);
    const owner = member(a.id, 'OWNER');
    expect((await id.call(owner, CREATE, { i: { name: 'Nope', emailDomain: 'nope.com' } })).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await id.call(owner, `{ accounts { totalCount } }`)).errors?.[0].extensions.code).toBe('FORBIDDEN');
    const list = await id.call(platformAdmin(), `{ accounts(first: 2) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`);
    expect(list.errors).toBeUndefined();
    expect(list.data.accounts.totalCount).toBeGreaterThanOrEqual(3);
    expect(list.data.accounts.nodes).toHaveLength(2);
    const next = await id.call(platformAdmin(), `query($a: String) { accounts(first: 100, after: $a) { nodes { id } } }`, {
      a: list.data.accounts.pageInfo.endCursor,
    });
    expect(next.data.accounts.nodes.map((n: any) => n.id)).not.toContain(list.data.accounts.nodes[0].id);
  });

  it('answers `account` for the caller’s account and NOT_FOUND for one that does not exist', async () => {
    const a = await newAccount(id);
    const viewer = member(a.id, 'VIEWER');
    expect((await id.call(viewer, `{ account { id } }`)).data.account.id).toBe(a.id);
    const ghost = await id.call(superOn('0193f000-0000-7000-8000-0000000000ff'), `{ account { id } }`);
    expect(ghost.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });

  it("answers null, not an error, for another tenant's, an unknown or a malformed account through an entity reference", async () => {
    const a = await newAccount(id);
    const b = await newAccount(id);
    const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Account { id name } } }`;
    const own = await id.call(member(a.id, 'VIEWER'), q, { r: [{ __typename: 'Account', id: a.id }] });
    expect(own.data._entities[0]).toEqual({ id: a.id, name: a.name });
    const ghost = '0193f000-0000-7000-8000-0000000000fe';
    const refs = [b.id, ghost, 'not-a-uuid'].map((rid) => ({ __typename: 'Account', id: rid }));
    const foreign = await id.call(member(a.id, 'VIEWER'), q, { r: [...refs, { __typename: 'Account', id: a.id }] });
    expect(foreign.errors).toBeUndefined();
    expect(foreign.data._entities).toEqual([null, null, null, { id: a.id, name: a.name }]);
    // a super admin acting on the platform resolves any account, an unknown one still null
    const all = await id.call(platformAdmin(), q, {
      r: [
        { __typename: 'Account', id: b.id },
        { __typename: 'Account', id: ghost },
      ],
    });
    expect(all.errors).toBeUndefined();
    expect(all.data._entities).toEqual([{ id: b.id, name: b.name }, null]);
  });

  describe('account admins', () => {
    const ADD = `mutation($i: AddAccountAdminInput!) { addAccountAdmin(input: $i) { id email role } }`;

    it('lets an owner add admins, lists them, and audits the write', async () => {
      const a = await newAccount(id);
      const r = await id.call(member(a.id, 'OWNER'), ADD, { i: { email: 'Jane@Acme.com', role: 'ADMIN' } });
      expect(r.errors).toBeUndefined();
      expect(r.data.addAccountAdmin).toMatchObject({ email: 'jane@acme.com', role: 'ADMIN' });
      const read = await id.call(member(a.id, 'VIEWER'), `{ account { admins { email role } } }`);
      expect(read.data.account.admins).toEqual([{ email: 'jane@acme.com', role: 'ADMIN' }]);
      const events = (await outboxTypes(id)).filter((e) => e.accountId === a.id && e.type === 'account_admin.added');
      expect(events).toHaveLength(1);
    });

    it('answers VALIDATION_ERROR for a bad email and CONFLICT for a duplicate', async () => {
      const a = await newAccount(id);
      const bad = await id.call(superOn(a.id), ADD, { i: { email: 'not-an-email', role: 'VIEWER' } });
      expect(bad.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { email: expect.any(String) } });
      expect((await id.call(superOn(a.id), ADD, { i: { email: 'ops@acme.com', role: 'OPERATOR' } })).errors).toBeUndefined();
      const dup = await id.call(superOn(a.id), ADD, { i: { email: 'OPS@acme.com', role: 'VIEWER' } });
      expect(dup.errors?.[0].extensions.code).toBe('CONFLICT');
    });

    it('forbids admins below OWNER from adding admins', async () => {
      const a = await newAccount(id);
      for (const role of ['ADMIN', 'VIEWER'] as const) {
        const r = await id.call(member(a.id, role), ADD, { i: { email: 'x@acme.com', role: 'VIEWER' } });
        expect(r.errors?.[0].extensions.code).toBe('FORBIDDEN');
      }
    });

    it('changes roles and removes admins, but never the last OWNER', async () => {
      const a = await newAccount(id);
      const su = superOn(a.id);
      const owner1 = (await id.call(su, ADD, { i: { email: 'o1@acme.com', role: 'OWNER' } })).data.addAccountAdmin;
      const viewer = (await id.call(su, ADD, { i: { email: 'v@acme.com', role: 'VIEWER' } })).data.addAccountAdmin;
      const SET = `mutation($i: SetAccountAdminRoleInput!) { setAccountAdminRole(input: $i) { id role } }`;
      const REMOVE = `mutation($id: ID!) { removeAccountAdmin(id: $id) { id email } }`;
      expect((await id.call(su, SET, { i: { id: owner1.id, role: 'ADMIN' } })).errors?.[0].extensions.code).toBe('CONFLICT');
      expect((await id.call(su, REMOVE, { id: owner1.id })).errors?.[0].extensions.code).toBe('CONFLICT');
      expect((await id.call(su, SET, { i: { id: viewer.id, role: 'OWNER' } })).data.setAccountAdminRole).toEqual({
        id: viewer.id,
        role: 'OWNER',
      });
      expect((await id.call(member(a.id, 'OWNER'), REMOVE, { id: owner1.id })).data.removeAccountAdmin).toEqual({
        id: owner1.id,
        email: 'o1@acme.com',
      });
      expect((await id.call(member(a.id, 'ADMIN'), REMOVE, { id: viewer.id })).errors?.[0].extensions.code).toBe('FORBIDDEN');
      expect((await id.call(member(a.id, 'VIEWER'), `{ account { admins { email role } } }`)).data.account.admins).toEqual([
        { email: 'v@acme.com', role: 'OWNER' },
      ]);
      // another tenant's admin id is NOT_FOUND
      const b = await newAccount(id);
      expect((await id.call(member(b.id, 'OWNER'), REMOVE, { id: viewer.id })).errors?.[0].extensions.code).toBe('NOT_FOUND');
      const types = (await outboxTypes(id)).filter((e) => e.accountId === a.id).map((e) => e.type);
      // each grant change also tells the gateways that the admin's effective role changed
      expect(types).toEqual([
        'account.created',
        'account_admin.added',
        'credentials.changed',
        'account_admin.added',
        'credentials.changed',
        'account_admin.role_changed',
        'credentials.changed',
        'account_admin.removed',
        'credentials.changed',
      ]);
      const changes = (await outboxTypes(id)).filter((e) => e.accountId === a.id && e.type === 'credentials.changed');
      expect(changes.map((e) => e.payload)).toEqual(
        ['account_admin.added', 'account_admin.added', 'account_admin.role_changed', 'account_admin.removed'].map((cause) => ({
          accountId: a.id,
          reason: 'ACCOUNT_ADMIN',
          cause,
        })),
      );
    });

    it('answers NOT_FOUND for an account that does not exist', async () => {
      const r = await id.call(superOn('0193f000-0000-7000-8000-0000000000fe'), ADD, { i: { email: 'x@acme.com', role: 'OWNER' } });
      expect(r.errors?.[0].extensions.code).toBe('NOT_FOUND');
    });
  });

  it('refuses a call without the internal token, _entities included', async () => {
    const r = await fetch(id.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ _entities(representations: [{ __typename: "Account", id: "x" }]) { __typename } }' }),
    });
    expect(r.status).toBe(401);
  });
});
