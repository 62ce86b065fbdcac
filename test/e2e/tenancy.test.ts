import { codeOf, ok, startTestStack, type TestStack } from '../support/stack';

/** Accounts, directory and API keys through the gateway, with real OIDC tokens and API keys. */
describe('tenancy and the directory through the gateway', () => {
  let s: TestStack;
  let superToken: string;
  let acme: string;
  let globex: string;
  let acmeAdmin: string;
  let globexAdmin: string;

  beforeAll(async () => {
    s = await startTestStack();
    superToken = await s.tokenFor('SUPER_ADMIN');
  });
  afterAll(() => s.close());

  const CREATE_ACCOUNT = `mutation($i: CreateAccountInput!) { createAccount(input: $i) { id name emailDomain status } }`;

  it('lets a super admin create an account that starts with its global org', async () => {
    const a = ok(
      await s.gql(CREATE_ACCOUNT, { i: { name: 'Acme', emailDomain: 'acme.example', planTier: 'TEAM' } }, { token: superToken }),
    );
    expect(a.createAccount).toMatchObject({ name: 'Acme', emailDomain: 'acme.example', status: 'ACTIVE' });
    acme = a.createAccount.id;
    const g = ok(
      await s.gql(CREATE_ACCOUNT, { i: { name: 'Globex', emailDomain: 'globex.example', planTier: 'FREE' } }, { token: s.masterKey }),
    );
    globex = g.createAccount.id;

    const seen = ok(
      await s.gql(`{ account { id name orgs { totalCount nodes { name domain } } } }`, {}, { token: superToken, accountId: acme }),
    );
    expect(seen.account).toEqual({ id: acme, name: 'Acme', orgs: { totalCount: 1, nodes: [{ name: 'global', domain: 'COPILOT' }] } });
    acmeAdmin = await s.tokenFor('ADMIN', acme);
    globexAdmin = await s.tokenFor('OWNER', globex);
  });

  it('refuses account creation to an account admin', async () => {
    const r = await s.gql(CREATE_ACCOUNT, { i: { name: 'Nope', emailDomain: 'nope.example', planTier: 'FREE' } }, { token: acmeAdmin });
    expect(codeOf(r)).toBe('FORBIDDEN');
  });

  let orgId: string;
  let teamId: string;
  let userId: string;

  it('lets an account admin build the directory', async () => {
    const org = ok(
      await s.gql(`mutation { createOrg(input: { name: "Research", domain: COPILOT }) { id name domain } }`, {}, { token: acmeAdmin }),
    );
    orgId = org.createOrg.id;
    const team = ok(
      await s.gql(
        `mutation($o: ID!) { createTeam(input: { orgId: $o, name: "Models" }) { id name org { id } } }`,
        { o: orgId },
        { token: acmeAdmin },
      ),
    );
    teamId = team.createTeam.id;
    expect(team.createTeam.org.id).toBe(orgId);
    const user = ok(
      await s.gql(
        `mutation { createUser(input: { email: "ada@acme.example", displayName: "Ada", domain: COPILOT }) { id email } }`,
        {},
        { token: acmeAdmin },
      ),
    );
    userId = user.createUser.id;
    ok(
      await s.gql(
        `mutation($t: ID!, $u: ID!) { addTeamMember(input: { teamId: $t, userId: $u }) { id } }`,
        { t: teamId, u: userId },
        { token: acmeAdmin },
      ),
    );

    const tree = ok(
      await s.gql(
        `{ account { orgs(domain: COPILOT) { nodes { name teamCount teams { nodes { name members { totalCount nodes { email teams { name } } } } } } } } }`,
        {},
        { token: acmeAdmin },
      ),
    );
    const research = tree.account.orgs.nodes.find((o: any) => o.name === 'Research');
    expect(research).toEqual({
      name: 'Research',
      teamCount: 1,
      teams: {
        nodes: [{ name: 'Models', members: { totalCount: 1, nodes: [{ email: 'ada@acme.example', teams: [{ name: 'Models' }] }] } }],
      },
    });
    // the CONSOLE tree is separate
    const consoleTree = ok(await s.gql(`{ account { orgs(domain: CONSOLE) { totalCount } } }`, {}, { token: acmeAdmin }));
    expect(consoleTree.account.orgs.totalCount).toBe(0);
  });

  it('answers CONFLICT for a duplicate org name and VALIDATION_ERROR for a bad email', async () => {
    const dup = await s.gql(`mutation { createOrg(input: { name: "Research", domain: COPILOT }) { id } }`, {}, { token: acmeAdmin });
    expect(codeOf(dup)).toBe('CONFLICT');
    const bad = await s.gql(
      `mutation { createUser(input: { email: "not-an-email", displayName: "X", domain: COPILOT }) { id } }`,
      {},
      { token: acmeAdmin },
    );
    expect(codeOf(bad)).toBe('VALIDATION_ERROR');
    expect(bad.body.errors![0].extensions.details).toHaveProperty('email');
  });

  it('issues an API key once, and the key works at the gateway until revoked', async () => {
    const created = ok(
      await s.gql(
        `mutation { createApiKey(input: { name: "ci", tier: ADMIN }) { secret apiKey { id name tier } } }`,
        {},
        { token: acmeAdmin },
      ),
    );
    const { secret, apiKey } = created.createApiKey;
    expect(secret).toMatch(/^sk-cap-[a-z2-7]{52}$/);
    const listed = ok(await s.gql(`{ apiKeys { nodes { id name tier } } }`, {}, { token: acmeAdmin }));
    expect(listed.apiKeys.nodes).toContainEqual({ id: apiKey.id, name: 'ci', tier: 'ADMIN' });
    expect(JSON.stringify(listed)).not.toContain(secret);

    const viaKey = ok(await s.gql(`mutation { createOrg(input: { name: "Via Key", domain: CONSOLE }) { domain } }`, {}, { token: secret }));
    expect(viaKey.createOrg.domain).toBe('CONSOLE');

    ok(await s.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`, { id: apiKey.id }, { token: acmeAdmin }));
    // the key was cached by the call above; the gateway that served the revocation drops it at once
    const after = await s.gql(`{ account { id } }`, {}, { token: secret });
    expect(after.status).toBe(401);
    expect(codeOf(after)).toBe('UNAUTHORIZED');
  });

  it("answers NOT_FOUND to another account's admin for every id of the first account", async () => {
    for (const [q, id] of [
      [`query($id: ID!) { org(id: $id) { id } }`, orgId],
      [`query($id: ID!) { team(id: $id) { id } }`, teamId],
      [`query($id: ID!) { user(id: $id) { id } }`, userId],
    ]) {
      const r = await s.gql(q, { id }, { token: globexAdmin });
      expect(codeOf(r)).toBe('NOT_FOUND');
    }
    const w = await s.gql(
      `mutation($o: ID!) { createTeam(input: { orgId: $o, name: "Intruders" }) { id } }`,
      { o: orgId },
      { token: globexAdmin },
    );
    expect(codeOf(w)).toBe('NOT_FOUND');
    // and naming the other account in X-Account-Id is for super admins only
    const x = await s.gql(`{ account { id } }`, {}, { token: globexAdmin, accountId: acme });
    expect(x.status).toBe(403);
  });

  it('lets a viewer read but not write', async () => {
    const viewer = await s.tokenFor('VIEWER', acme);
    ok(await s.gql(`{ account { orgs { totalCount } } }`, {}, { token: viewer }));
    for (const m of [
      `mutation { createOrg(input: { name: "V", domain: COPILOT }) { id } }`,
      `mutation { createApiKey(input: { name: "v", tier: CLIENT }) { secret } }`,
      `mutation { createGuardrailPreset(input: { name: "v", severity: LOW, config: {} }) { id } }`,
    ]) {
      expect(codeOf(await s.gql(m, {}, { token: viewer }))).toBe('FORBIDDEN');
    }
  });
});
