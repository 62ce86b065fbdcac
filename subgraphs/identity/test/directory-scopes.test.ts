import { INTERNAL_TOKEN_HEADER, servicePrincipal, signInternalToken, startTestSubgraph, testKeys } from '@cockpit/kit';
import { createIdentitySubgraph, DIRECTORY_SCOPES_PATH } from '../src';
import { member, newAccount } from './helpers';

/** `/internal/directory/scopes`: budgets' view of the directory, callable by budgets alone, confined to one account. */
describe('identity: directory scopes for budgets', () => {
  const budgets = testKeys();
  let id: Awaited<ReturnType<typeof startTestSubgraph>>;
  beforeAll(async () => {
    id = await startTestSubgraph(createIdentitySubgraph, { serviceKeys: { budgets: budgets.publicKey } });
  });
  afterAll(() => id.close());

  const ask = async (body: unknown, as = 'budgets', key = budgets.privateKey) => {
    const res = await fetch(id.url.replace(/\/graphql$/, DIRECTORY_SCOPES_PATH), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [INTERNAL_TOKEN_HEADER]: await signInternalToken(key, 'identity', servicePrincipal(as), as),
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const must = async (who: ReturnType<typeof member>, q: string, i: Record<string, unknown>) => {
    const r = await id.call(who, q, { i });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return (Object.values(r.data)[0] as { id: string }).id;
  };

  it('places orgs, teams and users of one account, teams in joining order, and lists a node’s children', async () => {
    const a = await newAccount(id);
    const b = await newAccount(id);
    const admin = member(a.id, 'ADMIN');
    const org = await must(admin, `mutation($i: CreateOrgInput!) { createOrg(input: $i) { id } }`, { name: 'R&D', domain: 'COPILOT' });
    const t1 = await must(admin, `mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }`, { orgId: org, name: 'B' });
    const t2 = await must(admin, `mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }`, { orgId: org, name: 'A' });
    const u = await must(admin, `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`, {
      email: 'u@r.example',
      displayName: 'U',
      domain: 'COPILOT',
    });
    for (const teamId of [t2, t1])
      await must(admin, `mutation($i: AddTeamMemberInput!) { addTeamMember(input: $i) { id } }`, { teamId, userId: u });
    const r = await ask({
      accountId: a.id,
      orgIds: [org],
      teamIds: [t1],
      userIds: [u],
      childrenOf: { scopeType: 'ORG', scopeId: org, domain: 'COPILOT' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      orgs: [{ id: org, domain: 'COPILOT' }],
      teams: [{ id: t1, orgId: org, domain: 'COPILOT' }],
      users: [
        {
          id: u,
          domain: 'COPILOT',
          status: 'ACTIVE',
          teams: [
            { id: t2, orgId: org },
            { id: t1, orgId: org },
          ],
        },
      ],
      children: [t1, t2].sort(),
    });
    // asked as another account, the same ids are unknown
    const other = await ask({
      accountId: b.id,
      orgIds: [org],
      teamIds: [t1],
      userIds: [u],
      childrenOf: { scopeType: 'ORG', scopeId: org, domain: 'COPILOT' },
    });
    expect(other.body).toEqual({ orgs: [], teams: [], users: [], children: null });
  });

  it('refuses any caller but budgets, and a malformed body', async () => {
    const a = await newAccount(id);
    const body = { accountId: a.id, orgIds: [], teamIds: [], userIds: [] };
    expect((await ask(body, 'catalog')).status).toBeGreaterThanOrEqual(401);
    expect((await ask(body, 'gateway', id.keys.privateKey)).status).toBe(403);
    const bad = await ask({ accountId: 'x', orgIds: ['nope'], teamIds: [], userIds: [] });
    expect(bad.status).toBe(400);
  });
});
