import { inTenantTx } from '@cockpit/kit';
import { member, newAccount, outboxTypes, platformAdmin, startIdentity, superOn, type Identity } from './helpers';

const CREATE_ORG = `mutation($i: CreateOrgInput!) { createOrg(input: $i) { id name domain } }`;
const CREATE_TEAM = `mutation($i: CreateTeamInput!) { createTeam(input: $i) { id name domain org { id } } }`;
const CREATE_USER = `mutation($i: CreateUserInput!) { createUser(input: $i) { id email displayName domain status } }`;
const ADD_MEMBER = `mutation($i: AddTeamMemberInput!) { addTeamMember(input: $i) { id memberCount members { nodes { id } } } }`;

describe('identity: directory (ID3)', () => {
  let id: Identity;
  beforeAll(async () => {
    id = await startIdentity();
  });
  afterAll(() => id.close());

  async function must(who: ReturnType<typeof member>, q: string, vars: Record<string, unknown>) {
    const r = await id.call(who, q, vars);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return Object.values(r.data)[0] as any;
  }

  it('creates orgs, teams, users and memberships and reads them back', async () => {
    const a = await newAccount(id);
    const admin = member(a.id, 'ADMIN');
    const org = await must(admin, CREATE_ORG, { i: { name: 'Engineering', domain: 'COPILOT' } });
    const team = await must(admin, CREATE_TEAM, { i: { orgId: org.id, name: 'Platform' } });
    expect(team).toEqual({ id: team.id, name: 'Platform', domain: 'COPILOT', org: { id: org.id } });
    const user = await must(admin, CREATE_USER, { i: { email: 'Ada@Acme.com', displayName: 'Ada', domain: 'COPILOT' } });
    expect(user).toMatchObject({ email: 'ada@acme.com', displayName: 'Ada', domain: 'COPILOT', status: 'ACTIVE' });
    const added = await must(admin, ADD_MEMBER, { i: { teamId: team.id, userId: user.id } });
    expect(added).toEqual({ id: team.id, memberCount: 1, members: { nodes: [{ id: user.id }] } });

    const viewer = member(a.id, 'VIEWER');
    const r = await id.call(
      viewer,
      `query($o: ID!, $t: ID!, $u: ID!) {
      org(id: $o) { name teamCount teams { totalCount nodes { id } } }
      team(id: $t) { name org { name } memberCount }
      user(id: $u) { email teams { id name } } }`,
      { o: org.id, t: team.id, u: user.id },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({
      org: { name: 'Engineering', teamCount: 1, teams: { totalCount: 1, nodes: [{ id: team.id }] } },
      team: { name: 'Platform', org: { name: 'Engineering' }, memberCount: 1 },
      user: { email: 'ada@acme.com', teams: [{ id: team.id, name: 'Platform' }] },
    });

    // one outbox row per write, each on the account's chain and in the tree's domain; a membership
    // changes what the member's credentials carry (teams, orgs), so the gateways hear of it too
    const events = (await outboxTypes(id)).filter((e) => e.accountId === a.id).map((e) => `${e.type}:${e.domain}`);
    expect(events).toEqual([
      'account.created:PLATFORM',
      'org.created:COPILOT',
      'team.created:COPILOT',
      'user.created:COPILOT',
      'team.member_added:COPILOT',
      'credentials.changed:PLATFORM',
    ]);
  });

  it('answers CONFLICT for duplicate names (per account and domain, per org) and duplicate emails and memberships', async () => {
    const a = await newAccount(id);
    const admin = member(a.id, 'ADMIN');
    const org = await must(admin, CREATE_ORG, { i: { name: 'Sales', domain: 'CONSOLE' } });
    expect((await id.call(admin, CREATE_ORG, { i: { name: 'sales', domain: 'CONSOLE' } })).errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      details: { name: expect.any(String) },
    });
    // the same name in the other tree is a different org
    expect((await id.call(admin, CREATE_ORG, { i: { name: 'Sales', domain: 'COPILOT' } })).errors).toBeUndefined();
    // `global` exists already in COPILOT
    expect((await id.call(admin, CREATE_ORG, { i: { name: 'Global', domain: 'COPILOT' } })).errors?.[0].extensions.code).toBe('CONFLICT');

    const team = await must(admin, CREATE_TEAM, { i: { orgId: org.id, name: 'EMEA' } });
    expect((await id.call(admin, CREATE_TEAM, { i: { orgId: org.id, name: 'emea' } })).errors?.[0].extensions.code).toBe('CONFLICT');
    const other = await must(admin, CREATE_ORG, { i: { name: 'Support', domain: 'CONSOLE' } });
    expect((await id.call(admin, CREATE_TEAM, { i: { orgId: other.id, name: 'EMEA' } })).errors).toBeUndefined();

    const user = await must(admin, CREATE_USER, { i: { email: 'bob@acme.com', displayName: 'Bob', domain: 'CONSOLE' } });
    expect(
      (await id.call(admin, CREATE_USER, { i: { email: 'BOB@acme.com', displayName: 'B', domain: 'CONSOLE' } })).errors?.[0].extensions
        .code,
    ).toBe('CONFLICT');
    expect(
      (await id.call(admin, CREATE_USER, { i: { email: 'bob@acme.com', displayName: 'Bob', domain: 'COPILOT' } })).errors,
    ).toBeUndefined();

    await must(admin, ADD_MEMBER, { i: { teamId: team.id, userId: user.id } });
    expect((await id.call(admin, ADD_MEMBER, { i: { teamId: team.id, userId: user.id } })).errors?.[0].extensions.code).toBe('CONFLICT');
  });

  it('answers VALIDATION_ERROR with details for bad input', async () => {
    const a = await newAccount(id);
    const admin = member(a.id, 'ADMIN');
    expect((await id.call(admin, CREATE_ORG, { i: { name: ' ', domain: 'COPILOT' } })).errors?.[0].extensions).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { name: expect.any(String) },
    });
    const u = await id.call(admin, CREATE_USER, { i: { email: 'nope', displayName: '', domain: 'COPILOT' } });
    expect(u.errors?.[0].extensions).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { email: expect.any(String), displayName: expect.any(String) },
    });
  });

  it('keeps the COPILOT and CONSOLE trees apart', async () => {
    const a = await newAccount(id);
    const admin = member(a.id, 'ADMIN');
    const consoleOrg = await must(admin, CREATE_ORG, { i: { name: 'Gateway', domain: 'CONSOLE' } });
    const consoleTeam = await must(admin, CREATE_TEAM, { i: { orgId: consoleOrg.id, name: 'Keys' } });
    expect(consoleTeam.domain).toBe('CONSOLE');
    const copilotUser = await must(admin, CREATE_USER, { i: { email: 'cara@acme.com', displayName: 'Cara', domain: 'COPILOT' } });
    const mixed = await id.call(admin, ADD_MEMBER, { i: { teamId: consoleTeam.id, userId: copilotUser.id } });
    expect(mixed.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { userId: expect.any(String) } });

    const r = await id.call(
      member(a.id, 'VIEWER'),
      `{ account {
      copilot: orgs(domain: COPILOT) { totalCount nodes { name } }
      console: orgs(domain: CONSOLE) { totalCount nodes { name } }
      all: orgs { totalCount } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.account).toEqual({
      copilot: { totalCount: 1, nodes: [{ name: 'global' }] },
      console: { totalCount: 1, nodes: [{ name: 'Gateway' }] },
      all: { totalCount: 2 },
    });
  });

  it('answers NOT_FOUND for unknown, malformed and other tenants’ ids', async () => {
    const a = await newAccount(id);
    const b = await newAccount(id);
    const adminA = member(a.id, 'ADMIN');
    const adminB = member(b.id, 'ADMIN');
    const orgB = await must(adminB, CREATE_ORG, { i: { name: 'Secret', domain: 'COPILOT' } });
    const teamB = await must(adminB, CREATE_TEAM, { i: { orgId: orgB.id, name: 'Hidden' } });
    const userB = await must(adminB, CREATE_USER, { i: { email: 'eve@b.com', displayName: 'Eve', domain: 'COPILOT' } });
    const orgA = await must(adminA, CREATE_ORG, { i: { name: 'Mine', domain: 'COPILOT' } });
    const teamA = await must(adminA, CREATE_TEAM, { i: { orgId: orgA.id, name: 'Mine' } });

    for (const [q, v] of [
      [`query($x: ID!) { org(id: $x) { id } }`, orgB.id],
      [`query($x: ID!) { team(id: $x) { id } }`, teamB.id],
      [`query($x: ID!) { user(id: $x) { id } }`, userB.id],
      [`query($x: ID!) { org(id: $x) { id } }`, 'not-a-uuid'],
      [`query($x: ID!) { team(id: $x) { id } }`, '0193f000-0000-7000-8000-000000000001'],
    ]) {
      const r = await id.call(adminA, q, { x: v });
      expect(r.errors?.[0].extensions.code).toBe('NOT_FOUND');
    }
    expect((await id.call(adminA, CREATE_TEAM, { i: { orgId: orgB.id, name: 'Sneaky' } })).errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect((await id.call(adminA, ADD_MEMBER, { i: { teamId: teamA.id, userId: userB.id } })).errors?.[0].extensions.code).toBe(
      'NOT_FOUND',
    );
    expect((await id.call(adminA, ADD_MEMBER, { i: { teamId: teamB.id, userId: userB.id } })).errors?.[0].extensions.code).toBe(
      'NOT_FOUND',
    );

    // entity references check tenancy like root fields
    const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Org { id } ... on Team { id } ... on User { id } } }`;
    const refs = await id.call(adminA, q, {
      r: [
        { __typename: 'Org', id: orgA.id },
        { __typename: 'Org', id: orgB.id },
        { __typename: 'Team', id: teamB.id },
        { __typename: 'User', id: userB.id },
      ],
    });
    expect(refs.data._entities).toEqual([{ id: orgA.id }, null, null, null]);
    // unknown, malformed and other tenants' references resolve to null, without an error (one rule for every entity)
    expect(refs.errors).toBeUndefined();

    // a platform super admin sees across accounts
    expect((await id.call(platformAdmin(), `query($x: ID!) { org(id: $x) { name } }`, { x: orgB.id })).data.org).toEqual({
      name: 'Secret',
    });
  });

  it('forbids viewers and operators from writing, and super admins need an account', async () => {
    const a = await newAccount(id);
    for (const role of ['VIEWER', 'OPERATOR'] as const) {
      const r = await id.call(member(a.id, role), CREATE_ORG, { i: { name: 'Nope', domain: 'COPILOT' } });
      expect(r.errors?.[0].extensions.code).toBe('FORBIDDEN');
    }
    expect((await id.call(platformAdmin(), CREATE_ORG, { i: { name: 'Nope', domain: 'COPILOT' } })).errors?.[0].extensions.code).toBe(
      'INVALID_REQUEST',
    );
    expect((await id.call(superOn(a.id), CREATE_ORG, { i: { name: 'Yes', domain: 'COPILOT' } })).errors).toBeUndefined();
  });

  it('pages nested connections with cursors', async () => {
    const a = await newAccount(id);
    const admin = member(a.id, 'ADMIN');
    const org = await must(admin, CREATE_ORG, { i: { name: 'Paged', domain: 'COPILOT' } });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await must(admin, CREATE_TEAM, { i: { orgId: org.id, name: `t${i}` } })).id);
    const Q = `query($o: ID!, $a: String) { org(id: $o) { teams(first: 2, after: $a) { totalCount nodes { id } pageInfo { hasNextPage hasPreviousPage endCursor } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const r: any = await id.call(admin, Q, { o: org.id, a: after });
      const c = r.data.org.teams;
      expect(c.totalCount).toBe(5);
      seen.push(...c.nodes.map((n: any) => n.id));
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(seen).toEqual(ids);
  });

  it('is confined by row-level security even without a WHERE on the account', async () => {
    const a = await newAccount(id);
    const b = await newAccount(id);
    await must(member(b.id, 'ADMIN'), CREATE_ORG, { i: { name: 'B only', domain: 'CONSOLE' } });
    const seen = await inTenantTx(id.server.orm.em.fork(), { accountId: a.id }, async (em) => ({
      accounts: (await em.execute(`select id from identity.account`)).map((r: any) => r.id),
      orgAccounts: [...new Set((await em.execute(`select account_id from identity.org`)).map((r: any) => r.account_id))],
      apiKeys: await em.execute(`select id from identity.api_key where account_id is null`),
    }));
    expect(seen).toEqual({ accounts: [a.id], orgAccounts: [a.id], apiKeys: [] });
    // and a write into another tenant is refused by the WITH CHECK policy
    await expect(
      inTenantTx(id.server.orm.em.fork(), { accountId: a.id }, (em) =>
        em.execute(
          `insert into identity.org (id, account_id, name, domain, created_at) values (gen_random_uuid(), ?, 'x', 'COPILOT', now())`,
          [b.id],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
