import { createHash } from 'node:crypto';
import { servicePrincipal } from '@cockpit/kit';
import { LOOKUP_PATH } from '../src';
import { member, newAccount, outboxTypes, platformAdmin, startIdentity, superOn, type Identity } from './helpers';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const CREATE_ORG = `mutation($i: CreateOrgInput!) { createOrg(input: $i) { id } }`;
const CREATE_TEAM = `mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }`;
const CREATE_USER = `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`;
const ADD_MEMBER = `mutation($i: AddTeamMemberInput!) { addTeamMember(input: $i) { id } }`;
const MOVE = `mutation($t: ID!, $o: ID!) { moveTeam(teamId: $t, orgId: $o) { id name org { id } memberCount } }`;
const REMOVE_MEMBER = `mutation($t: ID!, $u: ID!) { removeTeamMember(teamId: $t, userId: $u) { id memberCount } }`;
const DEACTIVATE = `mutation($id: ID!) { deactivateUser(id: $id) { id status teams { id } } }`;
const REACTIVATE = `mutation($id: ID!) { reactivateUser(id: $id) { id status } }`;

/** ID3: moving teams, removing members, deactivating users, and the tree's counts; ID2's bad inputs. */
describe('identity: directory maintenance (ID3)', () => {
  let id: Identity;
  beforeAll(async () => {
    id = await startIdentity();
  });
  afterAll(() => id.close());

  async function must(who: ReturnType<typeof member>, q: string, vars: Record<string, unknown> = {}) {
    const r = await id.call(who, q, vars);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return Object.values(r.data)[0] as any;
  }
  const code = async (who: ReturnType<typeof member>, q: string, vars: Record<string, unknown>) =>
    (await id.call(who, q, vars)).errors?.[0].extensions;

  /** An account with two Copilot orgs, one Console org, a team in each and two Copilot users in team `a`. */
  async function tree() {
    const acct = await newAccount(id);
    const admin = member(acct.id, 'ADMIN');
    const org1 = (await must(admin, CREATE_ORG, { i: { name: 'One', domain: 'COPILOT' } })).id;
    const org2 = (await must(admin, CREATE_ORG, { i: { name: 'Two', domain: 'COPILOT' } })).id;
    const consoleOrg = (await must(admin, CREATE_ORG, { i: { name: 'Gateway', domain: 'CONSOLE' } })).id;
    const teamA = (await must(admin, CREATE_TEAM, { i: { orgId: org1, name: 'Alpha' } })).id;
    const teamB = (await must(admin, CREATE_TEAM, { i: { orgId: org2, name: 'Alpha' } })).id;
    const consoleTeam = (await must(admin, CREATE_TEAM, { i: { orgId: consoleOrg, name: 'Keys' } })).id;
    const ada = (await must(admin, CREATE_USER, { i: { email: 'ada@acme.com', displayName: 'Ada', domain: 'COPILOT' } })).id;
    const bob = (await must(admin, CREATE_USER, { i: { email: 'bob@acme.com', displayName: 'Bob', domain: 'COPILOT' } })).id;
    for (const u of [ada, bob]) await must(admin, ADD_MEMBER, { i: { teamId: teamA, userId: u } });
    return { acct, admin, org1, org2, consoleOrg, teamA, teamB, consoleTeam, ada, bob };
  }

  describe('renameOrg', () => {
    const RENAME = `mutation($id: ID!, $name: String!) { renameOrg(id: $id, name: $name) { id name domain } }`;

    it('renames an org of the account, audited once with before and after; the same name again changes nothing', async () => {
      const t = await tree();
      expect(await must(t.admin, RENAME, { id: t.org1, name: '  Uno ' })).toEqual({ id: t.org1, name: 'Uno', domain: 'COPILOT' });
      expect(await must(t.admin, RENAME, { id: t.org1, name: 'Uno' })).toMatchObject({ name: 'Uno' });
      const events = (await outboxTypes(id)).filter((e) => e.type === 'org.renamed' && e.subject.id === t.org1);
      expect(events).toEqual([
        expect.objectContaining({ accountId: t.acct.id, domain: 'COPILOT', payload: { before: 'One', after: 'Uno' } }),
      ]);
    });

    it('answers CONFLICT for a name taken in the tree, VALIDATION_ERROR for a bad name, NOT_FOUND across tenants, FORBIDDEN for a viewer', async () => {
      const t = await tree();
      expect(await code(t.admin, RENAME, { id: t.org1, name: 'two' })).toMatchObject({
        code: 'CONFLICT',
        details: { name: expect.any(String) },
      });
      // the other tree may hold the name
      expect(await must(t.admin, RENAME, { id: t.consoleOrg, name: 'One' })).toMatchObject({ name: 'One' });
      expect(await code(t.admin, RENAME, { id: t.org1, name: ' ' })).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: { name: expect.any(String) },
      });
      const other = await tree();
      for (const orgId of [other.org1, 'not-a-uuid'])
        expect((await code(t.admin, RENAME, { id: orgId, name: 'Mine' }))?.code).toBe('NOT_FOUND');
      expect((await code(member(t.acct.id, 'VIEWER'), RENAME, { id: t.org1, name: 'Mine' }))?.code).toBe('FORBIDDEN');
      const [org] = await id.sql(`select name from identity.org where id = ?`, [other.org1]);
      expect(org.name).toBe('One');
    });
  });

  describe('moveTeam', () => {
    it('moves a team with its members to another org of the same tree, audited', async () => {
      const t = await tree();
      const org3 = (await must(t.admin, CREATE_ORG, { i: { name: 'Three', domain: 'COPILOT' } })).id;
      const moved = await must(t.admin, MOVE, { t: t.teamA, o: org3 });
      expect(moved).toEqual({ id: t.teamA, name: 'Alpha', org: { id: org3 }, memberCount: 2 });
      const r = await id.call(
        member(t.acct.id, 'VIEWER'),
        `query($a: ID!, $b: ID!) { a: org(id: $a) { teamCount userCount } b: org(id: $b) { teamCount userCount } }`,
        {
          a: t.org1,
          b: org3,
        },
      );
      expect(r.data).toEqual({ a: { teamCount: 0, userCount: 0 }, b: { teamCount: 1, userCount: 2 } });
      // moving to the org it is in is a no-op
      expect((await must(t.admin, MOVE, { t: t.teamA, o: org3 })).org.id).toBe(org3);
      const events = (await outboxTypes(id)).filter((e) => e.accountId === t.acct.id && e.type === 'team.moved');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        domain: 'COPILOT',
        subject: { type: 'Team', id: t.teamA },
        payload: { fromOrgId: t.org1, toOrgId: org3 },
      });
    });

    it('answers CONFLICT for a name taken in the target org, VALIDATION_ERROR across trees, NOT_FOUND for unknown or foreign ids', async () => {
      const t = await tree();
      expect(await code(t.admin, MOVE, { t: t.teamA, o: t.org2 })).toMatchObject({
        code: 'CONFLICT',
        details: { name: expect.any(String) },
      });
      expect(await code(t.admin, MOVE, { t: t.teamA, o: t.consoleOrg })).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: { orgId: expect.any(String) },
      });
      const other = await tree();
      for (const [team, org] of [
        [t.teamA, other.org1],
        [other.teamA, t.org1],
        [t.teamA, '0193f000-0000-7000-8000-0000000000b1'],
        ['not-a-uuid', t.org1],
      ]) {
        expect((await code(t.admin, MOVE, { t: team, o: org }))?.code).toBe('NOT_FOUND');
      }
      for (const role of ['VIEWER', 'OPERATOR'] as const) {
        expect((await code(member(t.acct.id, role), MOVE, { t: t.teamA, o: t.org2 }))?.code).toBe('FORBIDDEN');
      }
      // nothing moved
      expect((await must(t.admin, `query($t: ID!) { team(id: $t) { org { id } } }`, { t: t.teamA })).org.id).toBe(t.org1);
      expect((await outboxTypes(id)).filter((e) => e.accountId === t.acct.id && e.type === 'team.moved')).toHaveLength(0);
    });
  });

  describe('removeTeamMember', () => {
    it('takes a user out of one team, keeping their other memberships, audited', async () => {
      const t = await tree();
      await must(t.admin, ADD_MEMBER, { i: { teamId: t.teamB, userId: t.ada } });
      expect(await must(t.admin, REMOVE_MEMBER, { t: t.teamA, u: t.ada })).toEqual({ id: t.teamA, memberCount: 1 });
      expect((await must(t.admin, `query($u: ID!) { user(id: $u) { teams { id } } }`, { u: t.ada })).teams).toEqual([{ id: t.teamB }]);
      const events = (await outboxTypes(id)).filter((e) => e.accountId === t.acct.id && e.type === 'team.member_removed');
      expect(events).toEqual([
        expect.objectContaining({ domain: 'COPILOT', subject: { type: 'Team', id: t.teamA }, payload: { userId: t.ada } }),
      ]);
    });

    it('answers NOT_FOUND for a non-member, unknown or foreign ids, and FORBIDDEN to viewers', async () => {
      const t = await tree();
      const other = await tree();
      for (const [team, user] of [
        [t.teamB, t.ada], // not a member
        [t.teamA, other.ada],
        [other.teamA, other.ada],
        [t.teamA, '0193f000-0000-7000-8000-0000000000b2'],
        [t.teamA, 'nope'],
      ]) {
        expect((await code(t.admin, REMOVE_MEMBER, { t: team, u: user }))?.code).toBe('NOT_FOUND');
      }
      expect((await code(member(t.acct.id, 'VIEWER'), REMOVE_MEMBER, { t: t.teamA, u: t.ada }))?.code).toBe('FORBIDDEN');
      expect((await must(t.admin, `query($t: ID!) { team(id: $t) { memberCount } }`, { t: t.teamA })).memberCount).toBe(2);
    });
  });

  describe('deactivateUser / reactivateUser', () => {
    it("deactivates a user, keeps memberships, reports it in the user's API-key lookup, and reactivates", async () => {
      const t = await tree();
      const key = await must(t.admin, `mutation($u: ID!) { createApiKey(input: { name: "ada", tier: CLIENT, userId: $u }) { secret } }`, {
        u: t.ada,
      });
      const unbound = await must(t.admin, `mutation { createApiKey(input: { name: "acct", tier: CLIENT }) { secret } }`);
      const lookup = async (secret: string) =>
        (await id.route(LOOKUP_PATH, servicePrincipal('gateway'), { hash: sha256(secret) })).body.key;
      expect(await lookup(key.secret)).toMatchObject({ userId: t.ada, userStatus: 'ACTIVE' });
      expect(await lookup(unbound.secret)).toMatchObject({ userId: null, userStatus: null });

      expect(await must(t.admin, DEACTIVATE, { id: t.ada })).toEqual({ id: t.ada, status: 'DEACTIVATED', teams: [{ id: t.teamA }] });
      expect((await must(t.admin, DEACTIVATE, { id: t.ada })).status).toBe('DEACTIVATED'); // no-op
      expect(await lookup(key.secret)).toMatchObject({ userId: t.ada, userStatus: 'DEACTIVATED', revokedAt: null });
      expect(await lookup(unbound.secret)).toMatchObject({ userStatus: null });

      expect(await must(t.admin, REACTIVATE, { id: t.ada })).toEqual({ id: t.ada, status: 'ACTIVE' });
      expect(await lookup(key.secret)).toMatchObject({ userStatus: 'ACTIVE' });
      const events = (await outboxTypes(id)).filter(
        (e) => e.accountId === t.acct.id && e.type.startsWith('user.') && e.type !== 'user.created',
      );
      expect(events.map((e) => `${e.type}:${e.domain}:${e.subject.id}`)).toEqual([
        `user.deactivated:COPILOT:${t.ada}`,
        `user.reactivated:COPILOT:${t.ada}`,
      ]);
    });

    it('answers NOT_FOUND for unknown or foreign users and FORBIDDEN below ADMIN', async () => {
      const t = await tree();
      const other = await tree();
      for (const u of [other.ada, '0193f000-0000-7000-8000-0000000000b3', 'x']) {
        expect((await code(t.admin, DEACTIVATE, { id: u }))?.code).toBe('NOT_FOUND');
        expect((await code(t.admin, REACTIVATE, { id: u }))?.code).toBe('NOT_FOUND');
      }
      for (const role of ['VIEWER', 'OPERATOR'] as const) {
        expect((await code(member(t.acct.id, role), DEACTIVATE, { id: t.ada }))?.code).toBe('FORBIDDEN');
      }
      expect((await code(platformAdmin(), DEACTIVATE, { id: t.ada }))?.code).toBe('INVALID_REQUEST');
      expect((await must(superOn(t.acct.id), DEACTIVATE, { id: t.ada })).status).toBe('DEACTIVATED');
    });
  });

  it('counts orgs, users, teams and members over the tree, per directory domain', async () => {
    const t = await tree();
    await must(t.admin, ADD_MEMBER, { i: { teamId: t.teamB, userId: t.ada } });
    const teamC = (await must(t.admin, CREATE_TEAM, { i: { orgId: t.org1, name: 'Gamma' } })).id;
    await must(t.admin, ADD_MEMBER, { i: { teamId: teamC, userId: t.ada } }); // Ada twice in org1: counted once
    const consoleUser = (await must(t.admin, CREATE_USER, { i: { email: 'cy@acme.com', displayName: 'Cy', domain: 'CONSOLE' } })).id;
    await must(t.admin, ADD_MEMBER, { i: { teamId: t.consoleTeam, userId: consoleUser } });
    const r = await must(
      member(t.acct.id, 'VIEWER'),
      `{ account { orgCount copilotOrgs: orgCount(domain: COPILOT) consoleOrgs: orgCount(domain: CONSOLE)
          userCount copilotUsers: userCount(domain: COPILOT) consoleUsers: userCount(domain: CONSOLE)
          orgs(first: 10) { nodes { name teamCount userCount teams { nodes { name memberCount } } } } } }`,
    );
    expect(r).toMatchObject({ orgCount: 4, copilotOrgs: 3, consoleOrgs: 1, userCount: 3, copilotUsers: 2, consoleUsers: 1 });
    const byName = Object.fromEntries(r.orgs.nodes.map((o: any) => [o.name, o]));
    expect(byName.global).toMatchObject({ teamCount: 0, userCount: 0 });
    expect(byName.One).toMatchObject({ teamCount: 2, userCount: 2 });
    expect(byName.Two).toMatchObject({ teamCount: 1, userCount: 1 });
    expect(byName.Gateway).toMatchObject({ teamCount: 1, userCount: 1 });
    expect(byName.One.teams.nodes).toEqual([
      { name: 'Alpha', memberCount: 2 },
      { name: 'Gamma', memberCount: 1 },
    ]);
    // counts through an entity reference are tenant-checked like the rest of Account: another tenant's is null
    const other = await newAccount(id);
    const foreign = await id.call(
      member(other.id, 'VIEWER'),
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Account { orgCount } } }`,
      {
        r: [{ __typename: 'Account', id: t.acct.id }],
      },
    );
    expect(foreign.errors).toBeUndefined();
    expect(foreign.data._entities).toEqual([null]);
  });
});

describe('identity: account admins (ID2), bad inputs', () => {
  let id: Identity;
  beforeAll(async () => {
    id = await startIdentity();
  });
  afterAll(() => id.close());

  const ADD = `mutation($i: AddAccountAdminInput!) { addAccountAdmin(input: $i) { id email role } }`;
  const SET = `mutation($i: SetAccountAdminRoleInput!) { setAccountAdminRole(input: $i) { id role } }`;
  const REMOVE = `mutation($id: ID!) { removeAccountAdmin(id: $id) { id } }`;

  it('answers VALIDATION_ERROR details.email, NOT_FOUND for unknown admin ids, FORBIDDEN below OWNER and CONFLICT for the last OWNER', async () => {
    const a = await newAccount(id);
    const owner = member(a.id, 'OWNER');
    for (const email of ['', 'a@', '@acme.com', 'two words@acme.com', 'x@localhost']) {
      const r = await id.call(owner, ADD, { i: { email, role: 'VIEWER' } });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { email: expect.any(String) } });
    }
    // an unknown role is refused by GraphQL before any resolver runs
    expect((await id.call(owner, ADD, { i: { email: 'x@acme.com', role: 'GOD' } })).errors?.[0].extensions.code).toBe('INVALID_REQUEST');

    const first = (await id.call(owner, ADD, { i: { email: 'first@acme.com', role: 'OWNER' } })).data.addAccountAdmin;
    for (const ghost of ['0193f000-0000-7000-8000-0000000000c1', 'not-a-uuid']) {
      expect((await id.call(owner, SET, { i: { id: ghost, role: 'ADMIN' } })).errors?.[0].extensions.code).toBe('NOT_FOUND');
      expect((await id.call(owner, REMOVE, { id: ghost })).errors?.[0].extensions.code).toBe('NOT_FOUND');
    }
    for (const role of ['ADMIN', 'OPERATOR', 'VIEWER'] as const) {
      const who = member(a.id, role);
      expect((await id.call(who, ADD, { i: { email: 'y@acme.com', role: 'VIEWER' } })).errors?.[0].extensions.code).toBe('FORBIDDEN');
      expect((await id.call(who, SET, { i: { id: first.id, role: 'VIEWER' } })).errors?.[0].extensions.code).toBe('FORBIDDEN');
      expect((await id.call(who, REMOVE, { id: first.id })).errors?.[0].extensions.code).toBe('FORBIDDEN');
      // the last OWNER cannot be demoted to any other role
      expect((await id.call(owner, SET, { i: { id: first.id, role } })).errors?.[0].extensions).toMatchObject({
        code: 'CONFLICT',
        details: { id: expect.any(String) },
      });
    }
    expect((await id.call(owner, REMOVE, { id: first.id })).errors?.[0].extensions.code).toBe('CONFLICT');
    expect((await id.call(owner, `{ account { admins { email role } } }`)).data.account.admins).toEqual([
      { email: 'first@acme.com', role: 'OWNER' },
    ]);
  });
});
