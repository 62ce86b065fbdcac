import { createHash } from 'node:crypto';
import { principal, servicePrincipal } from '@cockpit/kit';
import { ACCOUNT_STATUS_PATH, ADMIN_ROLE_PATH, LOOKUP_PATH } from '../src';
import { member, newAccount, outboxTypes, platformAdmin, startIdentity, superOn, type Identity } from './helpers';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const UPDATE = `mutation($id: ID, $i: UpdateAccountInput!) { updateAccount(id: $id, input: $i) { id name emailDomain planTier status updatedAt } }`;
const SUSPEND = `mutation($id: ID!) { suspendAccount(id: $id) { id status deletedAt } }`;
const REACTIVATE = `mutation($id: ID!) { reactivateAccount(id: $id) { id status deletedAt } }`;
const DELETE = `mutation($id: ID!) { deleteAccount(id: $id) { id status deletedAt } }`;
const LIST = `query($f: AccountFilter, $first: Int, $after: String) {
  accounts(first: $first, after: $after, filter: $f) { totalCount nodes { id name status } pageInfo { hasNextPage endCursor } } }`;

/** ID1: account lifecycle (edit, suspend, reactivate, soft delete), listing and search, and the gateway's internal account routes. */
describe('identity: account lifecycle (ID1) and internal account routes', () => {
  let id: Identity;
  beforeAll(async () => {
    id = await startIdentity();
  });
  afterAll(() => id.close());

  const events = async (accountId: string) => (await outboxTypes(id)).filter((e) => e.accountId === accountId);

  describe('updateAccount', () => {
    it('edits the account named by id, or the one in X-Account-Id, and audits only the changed fields', async () => {
      const a = await newAccount(id);
      const r = await id.call(platformAdmin(), UPDATE, { id: a.id, i: { name: `${a.name} Renamed`, planTier: 'ENTERPRISE' } });
      expect(r.errors).toBeUndefined();
      expect(r.data.updateAccount).toMatchObject({
        id: a.id,
        name: `${a.name} Renamed`,
        emailDomain: 'example.com',
        planTier: 'ENTERPRISE',
      });

      const viaHeader = await id.call(superOn(a.id), UPDATE, { i: { emailDomain: 'NEW.example.com' } });
      expect(viaHeader.errors).toBeUndefined();
      expect(viaHeader.data.updateAccount).toMatchObject({ id: a.id, emailDomain: 'new.example.com', planTier: 'ENTERPRISE' });

      // the same values again change nothing and write no event
      expect((await id.call(platformAdmin(), UPDATE, { id: a.id, i: { planTier: 'ENTERPRISE' } })).errors).toBeUndefined();

      const updates = (await events(a.id)).filter((e) => e.type === 'account.updated');
      expect(updates).toHaveLength(2);
      expect(updates[0]).toMatchObject({
        domain: 'PLATFORM',
        subject: { type: 'Account', id: a.id },
        payload: { changes: { name: { before: a.name, after: `${a.name} Renamed` }, planTier: { before: 'TEAM', after: 'ENTERPRISE' } } },
      });
      expect(Object.keys(updates[1].payload.changes)).toEqual(['emailDomain']);
    });

    it('answers VALIDATION_ERROR, CONFLICT, NOT_FOUND, INVALID_REQUEST and FORBIDDEN for the right mistakes', async () => {
      const a = await newAccount(id);
      const b = await newAccount(id);
      const bad = await id.call(platformAdmin(), UPDATE, { id: a.id, i: { name: ' ', emailDomain: 'not a domain' } });
      expect(bad.errors?.[0].extensions).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: { name: expect.any(String), emailDomain: expect.any(String) },
      });
      const empty = await id.call(platformAdmin(), UPDATE, { id: a.id, i: {} });
      expect(empty.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { input: expect.any(String) } });
      const taken = await id.call(platformAdmin(), UPDATE, { id: a.id, i: { name: b.name.toUpperCase() } });
      expect(taken.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', details: { name: expect.any(String) } });
      for (const ghost of ['0193f000-0000-7000-8000-0000000000aa', 'nope']) {
        expect((await id.call(platformAdmin(), UPDATE, { id: ghost, i: { planTier: 'FREE' } })).errors?.[0].extensions.code).toBe(
          'NOT_FOUND',
        );
      }
      // no id and no X-Account-Id: nothing to act on
      expect((await id.call(platformAdmin(), UPDATE, { i: { planTier: 'FREE' } })).errors?.[0].extensions.code).toBe('INVALID_REQUEST');
      for (const role of ['OWNER', 'ADMIN', 'VIEWER'] as const) {
        const r = await id.call(member(a.id, role), UPDATE, { id: a.id, i: { planTier: 'FREE' } });
        expect(r.errors?.[0].extensions.code).toBe('FORBIDDEN');
      }
      expect((await events(a.id)).filter((e) => e.type === 'account.updated')).toHaveLength(0);
    });
  });

  describe('suspend, reactivate, delete', () => {
    it('moves an account through its statuses, each write audited once', async () => {
      const a = await newAccount(id);
      const su = platformAdmin();
      expect((await id.call(su, SUSPEND, { id: a.id })).data.suspendAccount).toEqual({ id: a.id, status: 'SUSPENDED', deletedAt: null });
      // suspending again is a no-op
      expect((await id.call(su, SUSPEND, { id: a.id })).data.suspendAccount.status).toBe('SUSPENDED');
      // a suspended account is still readable by its users (the gateway is what shuts them out)
      expect((await id.call(member(a.id, 'VIEWER'), `{ account { status } }`)).data.account.status).toBe('SUSPENDED');
      expect((await id.call(su, REACTIVATE, { id: a.id })).data.reactivateAccount.status).toBe('ACTIVE');
      const deleted = (await id.call(su, DELETE, { id: a.id })).data.deleteAccount;
      expect(deleted).toMatchObject({ id: a.id, status: 'DELETED' });
      expect(Date.parse(deleted.deletedAt)).toBeGreaterThan(Date.now() - 60_000);

      // deleted is final
      for (const m of [SUSPEND, REACTIVATE]) {
        const r = await id.call(su, m, { id: a.id });
        expect(r.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', details: { id: expect.any(String) } });
      }
      expect((await id.call(su, UPDATE, { id: a.id, i: { planTier: 'FREE' } })).errors?.[0].extensions.code).toBe('CONFLICT');
      expect((await id.call(su, DELETE, { id: a.id })).errors).toBeUndefined();

      const all = (await events(a.id)).filter((e) => e.type !== 'account.created');
      // each transition also tells the gateways, in its transaction, that the account's credentials changed
      expect(all.filter((e) => e.type === 'credentials.changed').map((e) => e.payload)).toEqual(
        ['account.suspended', 'account.reactivated', 'account.deleted'].map((cause) => ({
          accountId: a.id,
          reason: 'ACCOUNT_STATUS',
          cause,
        })),
      );
      const lifecycle = all.filter((e) => e.type !== 'credentials.changed');
      expect(lifecycle.map((e) => `${e.type}:${e.payload.before}>${e.payload.after}`)).toEqual([
        'account.suspended:ACTIVE>SUSPENDED',
        'account.reactivated:SUSPENDED>ACTIVE',
        'account.deleted:ACTIVE>DELETED',
      ]);
      expect(lifecycle.every((e) => e.domain === 'PLATFORM' && e.subject.id === a.id)).toBe(true);
      // the row stays, with deleted_at set with the status (the check constraint pairs them)
      const [row] = await id.sql(`select status, deleted_at from identity.account where id = ?`, [a.id]);
      expect(row.status).toBe('DELETED');
      expect(row.deleted_at).not.toBeNull();
    });

    it('refuses a reactivation of an ACTIVE account silently and a suspension by anyone but a super admin', async () => {
      const a = await newAccount(id);
      expect((await id.call(platformAdmin(), REACTIVATE, { id: a.id })).data.reactivateAccount.status).toBe('ACTIVE');
      for (const m of [SUSPEND, REACTIVATE, DELETE]) {
        expect((await id.call(member(a.id, 'OWNER'), m, { id: a.id })).errors?.[0].extensions.code).toBe('FORBIDDEN');
      }
      expect((await id.call(platformAdmin(), SUSPEND, { id: '0193f000-0000-7000-8000-0000000000ab' })).errors?.[0].extensions.code).toBe(
        'NOT_FOUND',
      );
      expect((await events(a.id)).map((e) => e.type)).toEqual(['account.created']);
    });

    it('hides a deleted account from its users (NOT_FOUND, a null reference) but not from super admins', async () => {
      const a = await newAccount(id);
      await id.call(platformAdmin(), DELETE, { id: a.id });
      for (const role of ['OWNER', 'VIEWER'] as const) {
        const r = await id.call(member(a.id, role), `{ account { id } }`);
        expect(r.errors?.[0].extensions.code).toBe('NOT_FOUND');
        expect(r.data.account).toBeNull();
      }
      const ref = await id.call(member(a.id, 'OWNER'), `query($r: [_Any!]!) { _entities(representations: $r) { ... on Account { id } } }`, {
        r: [{ __typename: 'Account', id: a.id }],
      });
      expect(ref.errors).toBeUndefined();
      expect(ref.data._entities).toEqual([null]);
      const superRef = await id.call(
        superOn(a.id),
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Account { id status } } }`,
        {
          r: [{ __typename: 'Account', id: a.id }],
        },
      );
      expect(superRef.data._entities).toEqual([{ id: a.id, status: 'DELETED' }]);
      expect((await id.call(superOn(a.id), `{ account { id status } }`)).data.account).toEqual({ id: a.id, status: 'DELETED' });
    });
  });

  describe('accounts(filter)', () => {
    it('lists non-deleted accounts by default, a status when asked, and searches names case-insensitively', async () => {
      const tag = `zq${Date.now().toString(36)}`;
      const active = await newAccount(id, `${tag} Alpha Corp`);
      const suspended = await newAccount(id, `${tag} BETA corp`);
      const deleted = await newAccount(id, `${tag} Gamma`);
      const literal = await newAccount(id, `${tag} 100%_off!`);
      await id.call(platformAdmin(), SUSPEND, { id: suspended.id });
      await id.call(platformAdmin(), DELETE, { id: deleted.id });
      const list = async (f: Record<string, unknown>, first = 50) => {
        const r = await id.call(platformAdmin(), LIST, { f, first });
        expect(r.errors).toBeUndefined();
        return r.data.accounts;
      };
      const names = (c: any) => c.nodes.map((n: any) => n.name);

      expect(names(await list({ search: tag }))).toEqual([active.name, suspended.name, literal.name]);
      expect((await list({ search: tag })).totalCount).toBe(3);
      expect(names(await list({ search: `${tag.toUpperCase()} beta` }))).toEqual([suspended.name]);
      expect(names(await list({ search: 'CORP', status: 'ACTIVE' })).filter((n: string) => n.startsWith(tag))).toEqual([active.name]);
      expect(await list({ search: tag, status: 'DELETED' })).toMatchObject({
        totalCount: 1,
        nodes: [{ id: deleted.id, status: 'DELETED' }],
      });
      expect((await list({ status: 'SUSPENDED' })).nodes.map((n: any) => n.id)).toContain(suspended.id);
      // %, _ and ! are matched literally, not as wildcards
      expect(names(await list({ search: `${tag} 100%_o` }))).toEqual([literal.name]);
      expect((await list({ search: `${tag}%gamma` })).totalCount).toBe(0);
      expect((await list({ search: `${tag} _lpha` })).totalCount).toBe(0);
      // unfiltered: every non-deleted account, deleted ones left out
      const all = await list({}, 100);
      expect(all.nodes.map((n: any) => n.id)).not.toContain(deleted.id);
      expect(all.nodes.every((n: any) => n.status !== 'DELETED')).toBe(true);

      // paging keeps the filter
      const p1 = await id.call(platformAdmin(), LIST, { f: { search: tag }, first: 2 });
      expect(p1.data.accounts.pageInfo.hasNextPage).toBe(true);
      const p2 = await id.call(platformAdmin(), LIST, { f: { search: tag }, first: 2, after: p1.data.accounts.pageInfo.endCursor });
      expect(names(p2.data.accounts)).toEqual([literal.name]);
      expect(p2.data.accounts.totalCount).toBe(3);
    });

    it('answers VALIDATION_ERROR for an over-long search and FORBIDDEN to account admins', async () => {
      const r = await id.call(platformAdmin(), LIST, { f: { search: 'x'.repeat(101) } });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { search: expect.any(String) } });
      const a = await newAccount(id);
      expect((await id.call(member(a.id, 'OWNER'), LIST, { f: { search: 'a' } })).errors?.[0].extensions.code).toBe('FORBIDDEN');
    });
  });

  describe(`POST ${ACCOUNT_STATUS_PATH}`, () => {
    const status = (body: unknown, who = servicePrincipal('gateway')) => id.route(ACCOUNT_STATUS_PATH, who, body);

    it('answers every known account’s status and plan tier in one query, omitting unknown and malformed ids', async () => {
      const a = await newAccount(id);
      const s = await newAccount(id);
      const d = await newAccount(id);
      await id.call(platformAdmin(), SUSPEND, { id: s.id });
      await id.call(platformAdmin(), DELETE, { id: d.id });
      const ghost = '0193f000-0000-7000-8000-0000000000ac';
      let r: any;
      const statements = await id.statements(async () => {
        r = await status({ accountIds: [a.id, s.id.toUpperCase(), d.id, ghost, 'not-a-uuid', a.id] });
      });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        statuses: { [a.id]: 'ACTIVE', [s.id]: 'SUSPENDED', [d.id]: 'DELETED' },
        planTiers: { [a.id]: 'TEAM', [s.id]: 'TEAM', [d.id]: 'TEAM' },
      });
      expect(statements.filter((q) => q.includes('"identity"."account"'))).toHaveLength(1);
      expect((await status({ accountIds: [] })).body).toEqual({ statuses: {}, planTiers: {} });
    });

    it('is for services only and refuses a malformed body', async () => {
      const a = await newAccount(id);
      for (const who of [platformAdmin(), member(a.id, 'OWNER')]) {
        const r = await status({ accountIds: [a.id] }, who);
        expect(r.status).toBe(403);
        expect(r.body.code).toBe('FORBIDDEN');
      }
      for (const body of [{}, { accountIds: a.id }, { accountIds: [1] }, { accountIds: Array(1001).fill(a.id) }]) {
        const r = await status(body);
        expect(r.status).toBe(400);
        expect(r.body).toMatchObject({ code: 'INVALID_REQUEST', details: { accountIds: expect.any(String) } });
      }
    });
  });

  describe(`POST ${ADMIN_ROLE_PATH}`, () => {
    const role = (body: unknown, who = servicePrincipal('gateway')) => id.route(ADMIN_ROLE_PATH, who, body);

    it("answers an email's role on an account, case-insensitively, and null otherwise", async () => {
      const a = await newAccount(id);
      const b = await newAccount(id);
      const ADD = `mutation($i: AddAccountAdminInput!) { addAccountAdmin(input: $i) { id } }`;
      expect((await id.call(superOn(a.id), ADD, { i: { email: 'ops@acme.com', role: 'OPERATOR' } })).errors).toBeUndefined();
      expect((await role({ accountId: a.id, email: ' OPS@Acme.com ' })).body).toEqual({ role: 'OPERATOR' });
      expect((await role({ accountId: b.id, email: 'ops@acme.com' })).body).toEqual({ role: null });
      expect((await role({ accountId: a.id, email: 'someone@acme.com' })).body).toEqual({ role: null });
      expect((await role({ accountId: 'nope', email: 'ops@acme.com' })).body).toEqual({ role: null });
    });

    it('is for services only and refuses a malformed body', async () => {
      const a = await newAccount(id);
      expect((await role({ accountId: a.id, email: 'x@y.com' }, member(a.id, 'OWNER'))).status).toBe(403);
      expect((await role({ accountId: a.id, email: 'x@y.com' }, principal({ kind: 'AGENT', accountId: a.id }))).status).toBe(403);
      const r = await role({ accountId: 7 });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'INVALID_REQUEST', details: { accountId: expect.any(String), email: expect.any(String) } });
    });
  });

  it("reports a suspended or deleted account's status in the API-key lookup", async () => {
    const a = await newAccount(id);
    const created = await id.call(superOn(a.id), `mutation { createApiKey(input: { name: "k", tier: ADMIN }) { secret } }`);
    expect(created.errors).toBeUndefined();
    const lookup = async () =>
      (await id.route(LOOKUP_PATH, servicePrincipal('gateway'), { hash: sha256(created.data.createApiKey.secret) })).body.key;
    expect(await lookup()).toMatchObject({ accountStatus: 'ACTIVE', userStatus: null });
    await id.call(platformAdmin(), SUSPEND, { id: a.id });
    expect((await lookup()).accountStatus).toBe('SUSPENDED');
    await id.call(platformAdmin(), DELETE, { id: a.id });
    expect((await lookup()).accountStatus).toBe('DELETED');
  });
});
