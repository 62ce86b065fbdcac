import { codeOf, eventually, ok, startTestStack, type TestStack } from '../support/stack';

/** Console (BYOK) model governance kept apart from Copilot's (CA4) and feature entitlements (CA9), through the gateway. */
describe('console models and feature entitlements through the gateway', () => {
  let s: TestStack;
  let superToken: string;
  let account: string;
  let admin: string;
  let other: string;
  let otherAdmin: string;
  let otherOrg: string;
  const ids: Record<string, string> = {};
  const dir: Record<string, string> = {};
  const UNKNOWN = '0193f000-0000-7000-8000-0000000000ff';
  const email = (name: string) => `${name}@initech.example`;
  const asSuper = (q: string, v?: Record<string, unknown>, accountId?: string) => s.gql(q, v, { token: superToken, accountId });
  const asAdmin = (q: string, v?: Record<string, unknown>) => s.gql(q, v, { token: admin });
  const names = (models: { name: string }[]) => models.map((m) => m.name);

  beforeAll(async () => {
    s = await startTestStack();
    superToken = await s.tokenFor('SUPER_ADMIN');
    account = ok(
      await s.gql(
        `mutation { createAccount(input: { name: "Initech", emailDomain: "initech.example", planTier: ENTERPRISE }) { id } }`,
        {},
        { token: superToken },
      ),
    ).createAccount.id;
    admin = await s.tokenFor('ADMIN', account);
    other = ok(await asSuper(`mutation { createAccount(input: { name: "Hooli", emailDomain: "hooli.example" }) { id } }`)).createAccount.id;
    otherAdmin = await s.tokenFor('ADMIN', other);
    otherOrg = ok(await s.gql(`mutation { createOrg(input: { name: "hooli-gw", domain: CONSOLE }) { id } }`, {}, { token: otherAdmin }))
      .createOrg.id;

    const provider = ok(await asSuper(`mutation { createProvider(input: { name: "byok-openai", kind: OPENAI }) { id } }`)).createProvider
      .id;
    for (const name of ['gpt-4o', 'claude-3-5', 'llama-3', 'o1-preview'])
      ids[name] = ok(
        await asSuper(
          `mutation($p: ID!, $n: String!) { createModel(input: { providerId: $p, name: $n, displayName: $n, kind: CHAT, inputPricePerMtok: "1", outputPricePerMtok: "2" }) { id } }`,
          { p: provider, n: name },
        ),
      ).createModel.id;

    // the CONSOLE tree: org gateway with teams gw-a and gw-b; dana in both, erin in gw-a, frank in none
    dir.gateway = ok(await asAdmin(`mutation { createOrg(input: { name: "gateway", domain: CONSOLE }) { id } }`)).createOrg.id;
    for (const team of ['gw-a', 'gw-b'])
      dir[team] = ok(
        await asAdmin(`mutation($o: ID!, $n: String!) { createTeam(input: { orgId: $o, name: $n }) { id } }`, { o: dir.gateway, n: team }),
      ).createTeam.id;
    // the COPILOT tree: org eng, team core, user cory
    dir.eng = ok(await asAdmin(`mutation { createOrg(input: { name: "eng", domain: COPILOT }) { id } }`)).createOrg.id;
    dir.core = ok(
      await asAdmin(`mutation($o: ID!) { createTeam(input: { orgId: $o, name: "core" }) { id } }`, { o: dir.eng }),
    ).createTeam.id;
    for (const [user, domain] of [
      ['dana', 'CONSOLE'],
      ['erin', 'CONSOLE'],
      ['frank', 'CONSOLE'],
      ['cory', 'COPILOT'],
    ])
      dir[user] = ok(
        await asAdmin(
          `mutation($e: String!, $n: String!, $d: DirectoryDomain!) { createUser(input: { email: $e, displayName: $n, domain: $d }) { id } }`,
          { e: email(user), n: user, d: domain },
        ),
      ).createUser.id;
    for (const [team, user] of [
      ['gw-a', 'dana'],
      ['gw-b', 'dana'],
      ['gw-a', 'erin'],
      ['core', 'cory'],
    ])
      ok(
        await asAdmin(`mutation($t: ID!, $u: ID!) { addTeamMember(input: { teamId: $t, userId: $u }) { id } }`, {
          t: dir[team],
          u: dir[user],
        }),
      );
  });
  afterAll(() => s.close());

  describe('CA4 console (BYOK) models', () => {
    const POLICY = `mutation($m: [ID!]!) { setConsoleModelPolicy(modelIds: $m) { name } }`;
    const SET = `mutation($s: GrantScopeInput!, $m: [ID!]!) { setConsoleModelGrant(scope: $s, modelIds: $m) { scopeType scopeId models { name } } }`;
    const OF = `query($u: ID!) { effectiveConsoleModelsOf(userId: $u) { decidedBy models { name } } }`;
    const policy = (models: string[]) => asSuper(POLICY, { m: models.map((n) => ids[n]) }, account);
    const grant = (type: string, id: string | null, models: string[]) => asAdmin(SET, { s: { type, id }, m: models.map((n) => ids[n]) });
    const effectiveOf = async (user: string) => {
      const set = ok(await asAdmin(OF, { u: dir[user] })).effectiveConsoleModelsOf;
      return { decidedBy: set.decidedBy, models: names(set.models) };
    };

    it('the super admin sets the console policy per account, apart from Copilot eligibility; without grants the whole policy is effective', async () => {
      expect(names(ok(await policy(['gpt-4o', 'claude-3-5', 'llama-3'])).setConsoleModelPolicy)).toEqual([
        'claude-3-5',
        'gpt-4o',
        'llama-3',
      ]);
      const data = ok(await asAdmin(`{ account { consoleModelPolicy { name } eligibleModels { name } consoleModelGrant { scopeType } } }`));
      expect(data.account).toEqual({
        consoleModelPolicy: [{ name: 'claude-3-5' }, { name: 'gpt-4o' }, { name: 'llama-3' }],
        eligibleModels: [],
        consoleModelGrant: null,
      });
      expect(await effectiveOf('dana')).toEqual({ decidedBy: 'POLICY', models: ['claude-3-5', 'gpt-4o', 'llama-3'] });
      // the Copilot set is untouched: nothing is eligible for the account
      expect(ok(await asAdmin(`query($u: ID!) { effectiveModelsOf(userId: $u) { models { model { name } } } }`, { u: dir.cory }))).toEqual({
        effectiveModelsOf: { models: [] },
      });
      // another account's policy is its own
      expect(ok(await s.gql(`{ account { consoleModelPolicy { name } } }`, {}, { token: otherAdmin })).account.consoleModelPolicy).toEqual(
        [],
      );
    });

    it('the narrowest explicit console grant wins: user, else the union of teams, else orgs, else the account', async () => {
      ok(await grant('ACCOUNT', null, ['gpt-4o']));
      expect(await effectiveOf('frank')).toEqual({ decidedBy: 'ACCOUNT', models: ['gpt-4o'] });
      ok(await grant('ORG', dir.gateway, ['llama-3']));
      expect(await effectiveOf('dana')).toEqual({ decidedBy: 'ORG', models: ['llama-3'] });
      expect(await effectiveOf('frank')).toEqual({ decidedBy: 'ACCOUNT', models: ['gpt-4o'] }); // in no team, so in no org
      ok(await grant('TEAM', dir['gw-a'], ['claude-3-5']));
      ok(await grant('TEAM', dir['gw-b'], ['gpt-4o']));
      expect(await effectiveOf('dana')).toEqual({ decidedBy: 'TEAM', models: ['claude-3-5', 'gpt-4o'] });
      expect(await effectiveOf('erin')).toEqual({ decidedBy: 'TEAM', models: ['claude-3-5'] });
      ok(await grant('USER', dir.frank, []));
      expect(await effectiveOf('frank')).toEqual({ decidedBy: 'USER', models: [] });
      const CLEAR = `mutation($u: ID!) { clearConsoleModelGrant(scope: { type: USER, id: $u }) }`;
      expect(ok(await asAdmin(CLEAR, { u: dir.frank })).clearConsoleModelGrant).toBe(true);
      expect(ok(await asAdmin(CLEAR, { u: dir.frank })).clearConsoleModelGrant).toBe(false);
      expect(await effectiveOf('frank')).toEqual({ decidedBy: 'ACCOUNT', models: ['gpt-4o'] });

      // kept apart: no Copilot grant was written, the console grants list in scope order
      const lists = ok(await asAdmin(`{ modelGrants { scopeId } consoleModelGrants { scopeType scopeId models { name } } }`));
      expect(lists.modelGrants).toEqual([]);
      expect(lists.consoleModelGrants.map((g: any) => g.scopeType)).toEqual(['ACCOUNT', 'ORG', 'TEAM', 'TEAM']);
    });

    it('contributes console grants and effective sets to identity entities, batched', async () => {
      const data = ok(
        await asAdmin(
          `query($o: ID!, $t: ID!, $u: ID!) {
            org(id: $o) { consoleModelGrant { models { name } } modelGrant { scopeType } }
            team(id: $t) { consoleModelGrant { scopeType models { name } }
              members { nodes { email consoleModelGrant { scopeType } effectiveConsoleModels { decidedBy models { name } } effectiveModels { decidedBy } } } }
            user(id: $u) { effectiveConsoleModels { decidedBy } }
          }`,
          { o: dir.gateway, t: dir['gw-a'], u: dir.cory },
        ),
      );
      expect(data.org).toEqual({ consoleModelGrant: { models: [{ name: 'llama-3' }] }, modelGrant: null });
      expect(data.team.consoleModelGrant).toEqual({ scopeType: 'TEAM', models: [{ name: 'claude-3-5' }] });
      const members = Object.fromEntries(data.team.members.nodes.map((n: any) => [n.email, n]));
      expect(members[email('dana')]).toEqual({
        email: email('dana'),
        consoleModelGrant: null,
        effectiveConsoleModels: { decidedBy: 'TEAM', models: [{ name: 'claude-3-5' }, { name: 'gpt-4o' }] },
        effectiveModels: null, // a CONSOLE user has no Copilot set
      });
      expect(members[email('erin')].effectiveConsoleModels).toEqual({ decidedBy: 'TEAM', models: [{ name: 'claude-3-5' }] });
      // a COPILOT user has no console set
      expect(data.user).toEqual({ effectiveConsoleModels: null });
    });

    it('the caller gets their own console set through the principal', async () => {
      const dana = await s.tokenFor('VIEWER', account, email('dana'));
      const mine = ok(await s.gql(`{ effectiveConsoleModels { decidedBy models { name } } }`, {}, { token: dana })).effectiveConsoleModels;
      expect(mine).toEqual({ decidedBy: 'TEAM', models: [{ name: 'claude-3-5' }, { name: 'gpt-4o' }] });
      const accountWide = ok(await asAdmin(`{ effectiveConsoleModels { decidedBy models { name } } }`)).effectiveConsoleModels;
      expect(accountWide).toEqual({ decidedBy: 'ACCOUNT', models: [{ name: 'gpt-4o' }] });
    });

    it('refuses bad input: outside the policy, unknown model, the COPILOT tree, another account, the wrong role', async () => {
      const outside = await grant('TEAM', dir['gw-a'], ['o1-preview']);
      expect(outside.body.errors?.[0].extensions).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: { modelIds: expect.stringContaining('o1-preview') },
      });
      expect(codeOf(await asAdmin(SET, { s: { type: 'TEAM', id: dir['gw-a'] }, m: [UNKNOWN] }))).toBe('NOT_FOUND');
      expect(codeOf(await asAdmin(SET, { s: { type: 'TEAM', id: dir['gw-a'] }, m: ['not-a-uuid'] }))).toBe('NOT_FOUND');
      const copilot = await grant('TEAM', dir.core, ['gpt-4o']);
      expect(copilot.body.errors?.[0].extensions).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: { 'scope.id': expect.stringContaining('CONSOLE') },
      });
      // and the Copilot grants refuse the CONSOLE tree, as before
      const crossed = await asAdmin(`mutation($o: ID!) { setModelGrant(scope: { type: ORG, id: $o }, modelIds: []) { scopeId } }`, {
        o: dir.gateway,
      });
      expect(codeOf(crossed)).toBe('VALIDATION_ERROR');
      expect(codeOf(await grant('ORG', otherOrg, ['gpt-4o']))).toBe('NOT_FOUND');
      expect(codeOf(await grant('ACCOUNT', other, ['gpt-4o']))).toBe('NOT_FOUND');
      expect(codeOf(await asAdmin(OF, { u: dir.cory }))).toBe('NOT_FOUND'); // not in the CONSOLE tree
      expect(codeOf(await asAdmin(OF, { u: UNKNOWN }))).toBe('NOT_FOUND');
      expect(codeOf(await s.gql(OF, { u: dir.dana }, { token: otherAdmin }))).toBe('NOT_FOUND');
      expect(ok(await s.gql(`{ consoleModelGrants { scopeId } }`, {}, { token: otherAdmin })).consoleModelGrants).toEqual([]);
      expect(codeOf(await asSuper(POLICY, { m: [UNKNOWN] }, account))).toBe('NOT_FOUND');
      // only a super admin sets the policy; only an admin grants
      expect(codeOf(await asAdmin(POLICY, { m: [] }))).toBe('FORBIDDEN');
      const viewer = await s.tokenFor('VIEWER', account);
      expect(codeOf(await s.gql(SET, { s: { type: 'ACCOUNT' }, m: [] }, { token: viewer }))).toBe('FORBIDDEN');
      expect(codeOf(await s.gql(`mutation { clearConsoleModelGrant(scope: { type: ACCOUNT }) }`, {}, { token: viewer }))).toBe('FORBIDDEN');
      expect(ok(await s.gql(`{ account { consoleModelPolicy { name } } }`, {}, { token: viewer })).account.consoleModelPolicy).toHaveLength(
        3,
      );
    });

    it('withdrawing a model from the policy removes it from every console grant and effective set at once', async () => {
      ok(await policy(['gpt-4o', 'llama-3']));
      expect(await effectiveOf('dana')).toEqual({ decidedBy: 'TEAM', models: ['gpt-4o'] });
      expect(await effectiveOf('erin')).toEqual({ decidedBy: 'TEAM', models: [] });
      expect(
        ok(await asAdmin(`query($t: ID!) { team(id: $t) { consoleModelGrant { models { name } } } }`, { t: dir['gw-a'] })).team,
      ).toEqual({
        consoleModelGrant: { models: [] },
      });
      const erin = await s.tokenFor('VIEWER', account, email('erin'));
      expect(ok(await s.gql(`{ effectiveConsoleModels { models { name } } }`, {}, { token: erin })).effectiveConsoleModels.models).toEqual(
        [],
      );
      // back in the policy, it is back where it was granted
      ok(await policy(['gpt-4o', 'claude-3-5', 'llama-3']));
      expect(await effectiveOf('erin')).toEqual({ decidedBy: 'TEAM', models: ['claude-3-5'] });
    });
  });

  describe('CA9 feature entitlements', () => {
    const CREATE = `mutation($k: String!, $n: String!) { createFeature(input: { key: $k, name: $n, description: "d" }) { key name status } }`;
    const PACK = `mutation($k: [String!]!) { setFeaturePack(featureKeys: $k) { key } }`;
    const SET = `mutation($s: GrantScopeInput!, $f: String!, $e: Boolean!) { setFeatureEntitlement(scope: $s, featureKey: $f, enabled: $e) { scopeType scopeId enabled inPack feature { key } } }`;
    const OF = `query($u: ID!) { effectiveFeaturesOf(userId: $u) { enabledKeys features { feature { key } enabled decidedBy chain { scopeType scopeId enabled } } } }`;
    const entitle = (type: string, id: string | null, feature: string, enabled: boolean) =>
      asAdmin(SET, { s: { type, id }, f: feature, e: enabled });
    const featuresOf = async (user: string) => ok(await asAdmin(OF, { u: dir[user] })).effectiveFeaturesOf;
    const decision = async (user: string, key: string) => (await featuresOf(user)).features.find((f: any) => f.feature.key === key);

    it('the super admin maintains the platform feature catalog', async () => {
      for (const [key, name] of [
        ['agents.marketplace', 'Marketplace'],
        ['policy.simulate', 'Policy simulation'],
        ['live.dashboards', 'Live dashboards'],
        ['legacy.export', 'Legacy export'],
        ['beta.voice', 'Voice'],
      ])
        expect(ok(await asSuper(CREATE, { k: key, n: name })).createFeature).toEqual({ key, name, status: 'ACTIVE' });
      const bad = await asSuper(CREATE, { k: 'Not A Key', n: '' });
      expect(bad.body.errors?.[0].extensions).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: { key: expect.any(String), name: expect.any(String) },
      });
      expect(codeOf(await asSuper(CREATE, { k: 'beta.voice', n: 'again' }))).toBe('CONFLICT');
      expect(codeOf(await asAdmin(CREATE, { k: 'mine', n: 'mine' }))).toBe('FORBIDDEN');
      expect(codeOf(await asAdmin(`{ features { totalCount } }`))).toBe('FORBIDDEN');
      ok(await asSuper(`mutation { updateFeature(key: "legacy.export", input: { status: DEPRECATED }) { key } }`));
      expect(codeOf(await asSuper(`mutation { updateFeature(key: "nope", input: { name: "x" }) { key } }`))).toBe('NOT_FOUND');
      expect(codeOf(await asSuper(`{ feature(key: "nope") { key } }`))).toBe('NOT_FOUND');
      const list = ok(
        await asSuper(
          `{ active: features(filter: { status: ACTIVE }, first: 2) { totalCount nodes { key } pageInfo { hasNextPage endCursor } } old: features(filter: { status: DEPRECATED }) { nodes { key } } }`,
        ),
      );
      expect(list.active).toMatchObject({
        totalCount: 4,
        nodes: [{ key: 'agents.marketplace' }, { key: 'beta.voice' }],
        pageInfo: { hasNextPage: true },
      });
      expect(list.old.nodes).toEqual([{ key: 'legacy.export' }]);
      const next = ok(
        await asSuper(`query($a: String) { features(filter: { status: ACTIVE }, after: $a) { nodes { key } } }`, {
          a: list.active.pageInfo.endCursor,
        }),
      );
      expect(next.features.nodes).toEqual([{ key: 'live.dashboards' }, { key: 'policy.simulate' }]);
    });

    it('the super admin sets the pack per account; without entitlements every pack feature is enabled', async () => {
      expect(ok(await asSuper(PACK, { k: ['policy.simulate', 'agents.marketplace', 'live.dashboards'] }, account)).setFeaturePack).toEqual([
        { key: 'agents.marketplace' },
        { key: 'live.dashboards' },
        { key: 'policy.simulate' },
      ]);
      const deprecated = await asSuper(PACK, { k: ['legacy.export'] }, account);
      expect(deprecated.body.errors?.[0].extensions).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: { featureKeys: expect.stringContaining('legacy.export') },
      });
      expect(codeOf(await asSuper(PACK, { k: ['nope'] }, account))).toBe('NOT_FOUND');
      expect(codeOf(await asAdmin(PACK, { k: [] }))).toBe('FORBIDDEN');
      expect(ok(await asAdmin(`{ account { featurePack { key } } }`)).account.featurePack.map((f: any) => f.key)).toEqual([
        'agents.marketplace',
        'live.dashboards',
        'policy.simulate',
      ]);
      const set = await featuresOf('dana');
      expect(set.enabledKeys).toEqual(['agents.marketplace', 'live.dashboards', 'policy.simulate']);
      expect(set.features.every((f: any) => f.decidedBy === 'PACK' && f.chain.length === 0)).toBe(true);
      expect(ok(await s.gql(`{ account { featurePack { key } } }`, {}, { token: otherAdmin })).account.featurePack).toEqual([]);
    });

    it('the narrowest explicit entitlement wins, with the chain that produced it', async () => {
      ok(await entitle('ACCOUNT', null, 'policy.simulate', false));
      ok(await entitle('TEAM', dir['gw-a'], 'policy.simulate', true));
      ok(await entitle('TEAM', dir['gw-b'], 'policy.simulate', false));
      ok(await entitle('USER', dir.erin, 'policy.simulate', false));
      ok(await entitle('ORG', dir.gateway, 'live.dashboards', false));
      const set = ok(await entitle('ORG', dir.eng, 'live.dashboards', true)).setFeatureEntitlement;
      expect(set).toEqual({ scopeType: 'ORG', scopeId: dir.eng, enabled: true, inPack: true, feature: { key: 'live.dashboards' } });

      // dana: her teams disagree, one enabling is enough; the account's "off" is below them
      expect(await decision('dana', 'policy.simulate')).toEqual({
        feature: { key: 'policy.simulate' },
        enabled: true,
        decidedBy: 'TEAM',
        chain: expect.arrayContaining([
          { scopeType: 'TEAM', scopeId: dir['gw-a'], enabled: true },
          { scopeType: 'TEAM', scopeId: dir['gw-b'], enabled: false },
        ]),
      });
      expect((await decision('dana', 'policy.simulate')).chain.at(-1)).toEqual({ scopeType: 'ACCOUNT', scopeId: account, enabled: false });
      // erin's own entitlement wins over her team's
      expect(await decision('erin', 'policy.simulate')).toEqual({
        feature: { key: 'policy.simulate' },
        enabled: false,
        decidedBy: 'USER',
        chain: [
          { scopeType: 'USER', scopeId: dir.erin, enabled: false },
          { scopeType: 'TEAM', scopeId: dir['gw-a'], enabled: true },
          { scopeType: 'ACCOUNT', scopeId: account, enabled: false },
        ],
      });
      // frank is in no team: the account decides
      expect(await decision('frank', 'policy.simulate')).toMatchObject({ enabled: false, decidedBy: 'ACCOUNT' });
      expect(await decision('dana', 'live.dashboards')).toMatchObject({ enabled: false, decidedBy: 'ORG' });
      expect(await decision('frank', 'live.dashboards')).toMatchObject({ enabled: true, decidedBy: 'PACK', chain: [] });
      // features apply to both directory trees
      expect((await featuresOf('cory')).enabledKeys).toEqual(['agents.marketplace', 'live.dashboards']);
      expect((await featuresOf('erin')).enabledKeys).toEqual(['agents.marketplace']);

      // clearing makes the scope inherit again
      const CLEAR = `mutation($u: ID!) { clearFeatureEntitlement(scope: { type: USER, id: $u }, featureKey: "policy.simulate") }`;
      expect(ok(await asAdmin(CLEAR, { u: dir.erin })).clearFeatureEntitlement).toBe(true);
      expect(ok(await asAdmin(CLEAR, { u: dir.erin })).clearFeatureEntitlement).toBe(false);
      expect(await decision('erin', 'policy.simulate')).toMatchObject({ enabled: true, decidedBy: 'TEAM' });
    });

    it('contributes User.effectiveFeatures, batched, and answers the caller through the principal', async () => {
      const team = ok(
        await asAdmin(`query($t: ID!) { team(id: $t) { members { nodes { email effectiveFeatures { enabledKeys } } } } }`, {
          t: dir['gw-a'],
        }),
      );
      expect(Object.fromEntries(team.team.members.nodes.map((n: any) => [n.email, n.effectiveFeatures.enabledKeys]))).toEqual({
        [email('dana')]: ['agents.marketplace', 'policy.simulate'],
        [email('erin')]: ['agents.marketplace', 'policy.simulate'],
      });
      const dana = await s.tokenFor('VIEWER', account, email('dana'));
      expect(ok(await s.gql(`{ effectiveFeatures { enabledKeys } }`, {}, { token: dana })).effectiveFeatures.enabledKeys).toEqual([
        'agents.marketplace',
        'policy.simulate',
      ]);
      // a credential bound to no user: the account's own entitlements
      expect(ok(await asAdmin(`{ effectiveFeatures { enabledKeys } }`)).effectiveFeatures.enabledKeys).toEqual([
        'agents.marketplace',
        'live.dashboards',
      ]);
      // an end user reads their own, never an admin's view of others
      const key = ok(
        await asAdmin(`mutation($u: ID!) { createApiKey(input: { name: "dana-cli", tier: CLIENT, userId: $u }) { secret } }`, {
          u: dir.dana,
        }),
      ).createApiKey.secret;
      expect(ok(await s.gql(`{ effectiveFeatures { enabledKeys } }`, {}, { token: key })).effectiveFeatures.enabledKeys).toContain(
        'policy.simulate',
      );
      expect(codeOf(await s.gql(OF, { u: dir.erin }, { token: key }))).toBe('FORBIDDEN');
    });

    it('refuses bad entitlements: outside the pack, unknown feature, another account, the wrong role', async () => {
      const outside = await entitle('TEAM', dir['gw-a'], 'beta.voice', true);
      expect(outside.body.errors?.[0].extensions).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: { featureKey: expect.stringContaining('beta.voice') },
      });
      expect(codeOf(await entitle('TEAM', dir['gw-a'], 'nope', true))).toBe('NOT_FOUND');
      expect(codeOf(await entitle('TEAM', dir['gw-a'], 'Not A Key!', true))).toBe('NOT_FOUND');
      expect(codeOf(await entitle('ORG', otherOrg, 'policy.simulate', true))).toBe('NOT_FOUND');
      expect(codeOf(await entitle('ACCOUNT', other, 'policy.simulate', true))).toBe('NOT_FOUND');
      expect(codeOf(await entitle('USER', UNKNOWN, 'policy.simulate', true))).toBe('NOT_FOUND');
      expect(codeOf(await entitle('USER', null, 'policy.simulate', true))).toBe('VALIDATION_ERROR');
      expect(codeOf(await s.gql(OF, { u: dir.dana }, { token: otherAdmin }))).toBe('NOT_FOUND');
      expect(codeOf(await asAdmin(OF, { u: UNKNOWN }))).toBe('NOT_FOUND');
      expect(ok(await s.gql(`{ featureEntitlements { scopeId } }`, {}, { token: otherAdmin })).featureEntitlements).toEqual([]);
      const viewer = await s.tokenFor('VIEWER', account);
      expect(codeOf(await s.gql(SET, { s: { type: 'ACCOUNT' }, f: 'policy.simulate', e: true }, { token: viewer }))).toBe('FORBIDDEN');
      expect(
        codeOf(
          await s.gql(
            `mutation { clearFeatureEntitlement(scope: { type: ACCOUNT }, featureKey: "policy.simulate") }`,
            {},
            { token: viewer },
          ),
        ),
      ).toBe('FORBIDDEN');
      expect(ok(await s.gql(`{ featureEntitlements { scopeType } }`, {}, { token: viewer })).featureEntitlements.length).toBeGreaterThan(0);
    });

    it('taking a feature out of the pack removes it from every effective set at once; put back, the entitlements count again', async () => {
      ok(await asSuper(PACK, { k: ['agents.marketplace', 'live.dashboards'] }, account));
      for (const user of ['dana', 'erin', 'frank', 'cory'])
        expect((await featuresOf(user)).features.map((f: any) => f.feature.key)).toEqual(['agents.marketplace', 'live.dashboards']);
      const list = ok(await asAdmin(`{ featureEntitlements { scopeType feature { key } inPack } }`)).featureEntitlements;
      expect(list.filter((e: any) => e.feature.key === 'policy.simulate').every((e: any) => !e.inPack)).toBe(true);
      expect(list.map((e: any) => e.scopeType)).toEqual(['ACCOUNT', 'ORG', 'ORG', 'TEAM', 'TEAM']);
      expect(codeOf(await entitle('USER', dir.dana, 'policy.simulate', true))).toBe('VALIDATION_ERROR');
      ok(await asSuper(PACK, { k: ['agents.marketplace', 'live.dashboards', 'policy.simulate'] }, account));
      expect(await decision('dana', 'policy.simulate')).toMatchObject({ enabled: true, decidedBy: 'TEAM' });
      expect(await decision('frank', 'policy.simulate')).toMatchObject({ enabled: false, decidedBy: 'ACCOUNT' });
    });
  });

  it('audits every console and feature write', async () => {
    const types = [
      'account.console_model_policy.set',
      'console_model_grant.set',
      'console_model_grant.cleared',
      'account.feature_pack.set',
      'feature_entitlement.set',
      'feature_entitlement.cleared',
    ];
    const seen = await eventually(async () => {
      const r = ok(
        await asAdmin(`query($t: [String!]) { auditLog(first: 100, filter: { types: $t }) { nodes { type domain } } }`, { t: types }),
      );
      const got = new Set(r.auditLog.nodes.map((n: any) => n.type));
      return types.every((t) => got.has(t)) ? r.auditLog.nodes : undefined;
    });
    expect(seen.filter((n: any) => n.type === 'console_model_grant.set')).toHaveLength(5);
    expect(
      seen.filter((n: any) => n.type.startsWith('console') || n.type.includes('console_model')).every((n: any) => n.domain === 'CONSOLE'),
    ).toBe(true);
    // the catalog's features are on the platform chain
    const platform = await eventually(async () => {
      const r = ok(await asSuper(`{ auditLog(first: 100, filter: { types: ["feature.created", "feature.updated"] }) { nodes { type } } }`));
      return r.auditLog.nodes.length >= 6 ? r.auditLog.nodes : undefined;
    });
    expect(platform.filter((n: any) => n.type === 'feature.created')).toHaveLength(5);
  });
});
