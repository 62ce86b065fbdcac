import { codeOf, eventually, ok, startTestStack, type TestStack } from '../support/stack';

/** The catalog through the gateway: providers and price history (CA1), eligibility (CA2), grants and effective sets (CA3), aliases and key allow-lists (CA5). */
describe('catalog through the gateway', () => {
  let s: TestStack;
  let superToken: string;
  let account: string;
  let admin: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    s = await startTestStack();
    superToken = await s.tokenFor('SUPER_ADMIN');
    account = ok(
      await s.gql(`mutation { createAccount(input: { name: "Globex", emailDomain: "globex.example" }) { id } }`, {}, { token: superToken }),
    ).createAccount.id;
    admin = await s.tokenFor('ADMIN', account);
  });
  afterAll(() => s.close());

  const asSuper = (q: string, v?: Record<string, unknown>, accountId?: string) => s.gql(q, v, { token: superToken, accountId });

  it('CA1: a super admin configures a provider and its models; a price change keeps the old price explainable', async () => {
    const p = ok(
      await asSuper(
        `mutation { createProvider(input: { name: "azure-eu", kind: AZURE_OPENAI, baseUrl: "https://eu.example.openai.azure.com" }) { id name kind baseUrl status } }`,
      ),
    ).createProvider;
    expect(p).toMatchObject({ name: 'azure-eu', kind: 'AZURE_OPENAI', status: 'ACTIVE' });
    ids.provider = p.id;
    for (const [name, kind] of [
      ['gpt-4o', 'CHAT'],
      ['gpt-4o-mini', 'CHAT'],
      ['dall-e-3', 'IMAGE'],
    ]) {
      const m = ok(
        await asSuper(
          `mutation($p: ID!, $n: String!, $k: ModelKind!) { createModel(input: { providerId: $p, name: $n, displayName: $n, kind: $k, contextWindow: 128000, inputPricePerMtok: "2.50", outputPricePerMtok: "10" }) { id isMedia contextWindow provider { name } } }`,
          { p: p.id, n: name, k: kind },
        ),
      ).createModel;
      expect(m).toMatchObject({ isMedia: kind !== 'CHAT', contextWindow: 128000, provider: { name: 'azure-eu' } });
      ids[name] = m.id;
    }
    const charged = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 10));
    ok(await asSuper(`mutation($id: ID!) { updateModel(id: $id, input: { inputPricePerMtok: "3" }) { id } }`, { id: ids['gpt-4o'] }));
    const read = ok(
      await asSuper(
        `query($id: ID!, $at: DateTime!) { model(id: $id) { inputPricePerMtok priceAt(at: $at) { inputPricePerMtok } prices { inputPricePerMtok } } }`,
        {
          id: ids['gpt-4o'],
          at: charged,
        },
      ),
    ).model;
    expect(read).toEqual({
      inputPricePerMtok: '3',
      priceAt: { inputPricePerMtok: '2.5' },
      prices: [{ inputPricePerMtok: '3' }, { inputPricePerMtok: '2.5' }],
    });
    const list = ok(await asSuper(`{ providers(filter: { kind: AZURE_OPENAI }) { totalCount nodes { name } } }`)).providers;
    expect(list).toEqual({ totalCount: 1, nodes: [{ name: 'azure-eu' }] });
  });

  it('CA1: bad input and the wrong role are refused', async () => {
    const bad = await asSuper(`mutation { createProvider(input: { name: "x", kind: OPENAI_COMPATIBLE }) { id } }`);
    expect(bad.body.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { baseUrl: expect.any(String) } });
    const unknown = await asSuper(
      `mutation { createModel(input: { providerId: "0193f000-0000-7000-8000-0000000000ff", name: "m", displayName: "m", kind: CHAT, inputPricePerMtok: "1", outputPricePerMtok: "1" }) { id } }`,
    );
    expect(codeOf(unknown)).toBe('NOT_FOUND');
    const admins = await s.gql(`mutation { createProvider(input: { name: "mine", kind: OPENAI }) { id } }`, {}, { token: admin });
    expect(codeOf(admins)).toBe('FORBIDDEN');
    expect(codeOf(await s.gql(`{ providers { totalCount } }`, {}, { token: admin }))).toBe('FORBIDDEN');
  });

  it('CA2: the account sees its eligible models with their providers', async () => {
    ok(
      await asSuper(
        `mutation($ids: [ID!]!) { setEligibleModels(modelIds: $ids) { id } }`,
        { ids: [ids['gpt-4o'], ids['dall-e-3']] },
        account,
      ),
    );
    const data = ok(await s.gql(`{ account { eligibleModels { name provider { name kind } } } }`, {}, { token: admin }));
    expect(data.account.eligibleModels).toEqual([
      { name: 'dall-e-3', provider: { name: 'azure-eu', kind: 'AZURE_OPENAI' } },
      { name: 'gpt-4o', provider: { name: 'azure-eu', kind: 'AZURE_OPENAI' } },
    ]);
  });

  describe('CA3 grants and effective sets, CA5 aliases and key allow-lists', () => {
    const dir: Record<string, string> = {};
    const asAdmin = (q: string, v?: Record<string, unknown>) => s.gql(q, v, { token: admin });
    const SET = `mutation($s: GrantScopeInput!, $m: [ID!]!) { setModelGrant(scope: $s, modelIds: $m) { scopeType scopeId models { name } } }`;
    const OF = `query($u: ID!) { effectiveModelsOf(userId: $u) { decidedBy models { model { name } aliases } } }`;
    const names = (set: any) => set.models.map((e: any) => e.model.name);
    const effectiveOf = async (user: string) => ok(await asAdmin(OF, { u: dir[user] })).effectiveModelsOf;
    const grant = (type: string, id: string | null, models: string[]) => asAdmin(SET, { s: { type, id }, m: models.map((n) => ids[n]) });
    const email = (name: string) => `${name}@globex.example`;

    beforeAll(async () => {
      ok(
        await asSuper(
          `mutation($ids: [ID!]!) { setEligibleModels(modelIds: $ids) { id } }`,
          { ids: [ids['gpt-4o'], ids['gpt-4o-mini'], ids['dall-e-3']] },
          account,
        ),
      );
      ids.outside = ok(
        await asSuper(
          `mutation($p: ID!) { createModel(input: { providerId: $p, name: "o1-preview", displayName: "o1", kind: CHAT, inputPricePerMtok: "15", outputPricePerMtok: "60" }) { id } }`,
          { p: ids.provider },
        ),
      ).createModel.id;
      dir.eng = ok(await asAdmin(`mutation { createOrg(input: { name: "eng", domain: COPILOT }) { id } }`)).createOrg.id;
      dir.ops = ok(await asAdmin(`mutation { createOrg(input: { name: "ops", domain: CONSOLE }) { id } }`)).createOrg.id;
      for (const team of ['platform', 'research'])
        dir[team] = ok(
          await asAdmin(`mutation($o: ID!, $n: String!) { createTeam(input: { orgId: $o, name: $n }) { id } }`, { o: dir.eng, n: team }),
        ).createTeam.id;
      for (const user of ['alice', 'bob', 'carol'])
        dir[user] = ok(
          await asAdmin(
            `mutation($e: String!, $n: String!) { createUser(input: { email: $e, displayName: $n, domain: COPILOT }) { id } }`,
            {
              e: email(user),
              n: user,
            },
          ),
        ).createUser.id;
      for (const [team, user] of [
        ['platform', 'alice'],
        ['research', 'alice'],
        ['platform', 'bob'],
      ])
        ok(
          await asAdmin(`mutation($t: ID!, $u: ID!) { addTeamMember(input: { teamId: $t, userId: $u }) { id } }`, {
            t: dir[team],
            u: dir[user],
          }),
        );
    });

    it('without grants every eligible model is effective', async () => {
      const set = await effectiveOf('alice');
      expect(set.decidedBy).toBe('ELIGIBILITY');
      expect(names(set)).toEqual(['dall-e-3', 'gpt-4o', 'gpt-4o-mini']);
    });

    it('the narrowest explicit grant wins: user, else the union of teams, else orgs, else the account', async () => {
      ok(await grant('ACCOUNT', null, ['gpt-4o', 'gpt-4o-mini']));
      ok(await grant('ORG', dir.eng, ['gpt-4o']));
      ok(await grant('TEAM', dir.platform, ['gpt-4o-mini']));
      ok(await grant('TEAM', dir.research, ['dall-e-3']));
      expect(await effectiveOf('carol')).toMatchObject({ decidedBy: 'ACCOUNT' });
      expect(names(await effectiveOf('carol'))).toEqual(['gpt-4o', 'gpt-4o-mini']);
      expect(names(await effectiveOf('alice'))).toEqual(['dall-e-3', 'gpt-4o-mini']);
      expect(await effectiveOf('bob')).toEqual({ decidedBy: 'TEAM', models: [{ model: { name: 'gpt-4o-mini' }, aliases: [] }] });
      // an explicit empty grant shows nothing; clearing it makes the user inherit again
      ok(await grant('USER', dir.bob, []));
      expect(await effectiveOf('bob')).toEqual({ decidedBy: 'USER', models: [] });
      expect(
        ok(await asAdmin(`mutation($u: ID!) { clearModelGrant(scope: { type: USER, id: $u }) }`, { u: dir.bob })).clearModelGrant,
      ).toBe(true);
      expect(
        ok(await asAdmin(`mutation($u: ID!) { clearModelGrant(scope: { type: USER, id: $u }) }`, { u: dir.bob })).clearModelGrant,
      ).toBe(false);
      expect((await effectiveOf('bob')).decidedBy).toBe('TEAM');
      // an org without a team grant for the user decides when the teams have none
      ok(await asAdmin(`mutation($t: ID!) { clearModelGrant(scope: { type: TEAM, id: $t }) }`, { t: dir.platform }));
      expect(await effectiveOf('bob')).toMatchObject({ decidedBy: 'ORG', models: [{ model: { name: 'gpt-4o' } }] });
      ok(await grant('TEAM', dir.platform, ['gpt-4o-mini']));
    });

    it('refuses bad grants: outside eligibility, unknown model, another account, the Console tree, the wrong role', async () => {
      const outside = await asAdmin(SET, { s: { type: 'TEAM', id: dir.platform }, m: [ids.outside] });
      expect(outside.body.errors?.[0].extensions).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: { modelIds: expect.stringContaining('o1-preview') },
      });
      const unknown = await asAdmin(SET, { s: { type: 'TEAM', id: dir.platform }, m: ['0193f000-0000-7000-8000-0000000000ff'] });
      expect(codeOf(unknown)).toBe('NOT_FOUND');
      const other = ok(await asSuper(`mutation { createAccount(input: { name: "Umbrella", emailDomain: "umbrella.example" }) { id } }`))
        .createAccount.id;
      const otherOrg = ok(await s.gql(`{ account { orgs { nodes { id } } } }`, {}, { token: superToken, accountId: other })).account.orgs
        .nodes[0].id;
      const foreign = await asAdmin(SET, { s: { type: 'ORG', id: otherOrg }, m: [ids['gpt-4o']] });
      expect(codeOf(foreign)).toBe('NOT_FOUND');
      const foreignAccount = await asAdmin(SET, { s: { type: 'ACCOUNT', id: other }, m: [ids['gpt-4o']] });
      expect(codeOf(foreignAccount)).toBe('NOT_FOUND');
      const console = await asAdmin(SET, { s: { type: 'ORG', id: dir.ops }, m: [ids['gpt-4o']] });
      expect(console.body.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { 'scope.id': expect.any(String) } });
      const missingId = await asAdmin(SET, { s: { type: 'USER' }, m: [] });
      expect(codeOf(missingId)).toBe('VALIDATION_ERROR');
      const viewer = await s.tokenFor('VIEWER', account);
      expect(codeOf(await s.gql(SET, { s: { type: 'ACCOUNT' }, m: [] }, { token: viewer }))).toBe('FORBIDDEN');
      expect(codeOf(await asAdmin(OF, { u: '0193f000-0000-7000-8000-0000000000ff' }))).toBe('NOT_FOUND');
      const otherAdmin = await s.tokenFor('ADMIN', other);
      expect(codeOf(await s.gql(OF, { u: dir.alice }, { token: otherAdmin }))).toBe('NOT_FOUND');
      expect(ok(await s.gql(`{ modelGrants { scopeId } }`, {}, { token: otherAdmin })).modelGrants).toEqual([]);
    });

    it('contributes grants and effective sets to identity entities, batched', async () => {
      const data = ok(
        await asAdmin(
          `query($o: ID!, $t: ID!, $u: ID!) {
            account { modelGrant { scopeType models { name } } }
            org(id: $o) { name modelGrant { models { name } } }
            team(id: $t) { name modelGrant { models { name } } }
            user(id: $u) { email modelGrant { scopeType } effectiveModels { decidedBy models { model { name } } } }
            modelGrants { scopeType scopeId }
          }`,
          { o: dir.eng, t: dir.research, u: dir.alice },
        ),
      );
      expect(data.account.modelGrant).toEqual({ scopeType: 'ACCOUNT', models: [{ name: 'gpt-4o' }, { name: 'gpt-4o-mini' }] });
      expect(data.org).toEqual({ name: 'eng', modelGrant: { models: [{ name: 'gpt-4o' }] } });
      expect(data.team).toEqual({ name: 'research', modelGrant: { models: [{ name: 'dall-e-3' }] } });
      expect(data.user).toEqual({
        email: email('alice'),
        modelGrant: null,
        effectiveModels: { decidedBy: 'TEAM', models: [{ model: { name: 'dall-e-3' } }, { model: { name: 'gpt-4o-mini' } }] },
      });
      expect(data.modelGrants.map((g: any) => g.scopeType)).toEqual(['ACCOUNT', 'ORG', 'TEAM', 'TEAM']);
      const team = ok(
        await asAdmin(
          `query($t: ID!) { team(id: $t) { members { nodes { email modelGrant { scopeType } effectiveModels { decidedBy models { model { name } } } } } } }`,
          {
            t: dir.platform,
          },
        ),
      );
      expect(team.team.members.nodes.map((n: any) => [n.email, n.effectiveModels.models.map((e: any) => e.model.name)])).toEqual(
        expect.arrayContaining([
          [email('alice'), ['dall-e-3', 'gpt-4o-mini']],
          [email('bob'), ['gpt-4o-mini']],
        ]),
      );
    });

    it('the caller gets their own effective set through the principal', async () => {
      const alice = await s.tokenFor('VIEWER', account, email('alice'));
      const mine = ok(await s.gql(`{ effectiveModels { decidedBy models { model { name } } } }`, {}, { token: alice })).effectiveModels;
      expect(mine).toEqual({ decidedBy: 'TEAM', models: [{ model: { name: 'dall-e-3' } }, { model: { name: 'gpt-4o-mini' } }] });
      // a credential bound to no directory user sees the account's set
      const accountWide = ok(await asAdmin(`{ effectiveModels { decidedBy models { model { name } } } }`)).effectiveModels;
      expect(accountWide).toMatchObject({ decidedBy: 'ACCOUNT' });
    });

    it('CA2: withdrawing eligibility removes a model from every grant and effective set at once', async () => {
      ok(
        await asSuper(
          `mutation($ids: [ID!]!) { setEligibleModels(modelIds: $ids) { id } }`,
          { ids: [ids['gpt-4o'], ids['gpt-4o-mini']] },
          account,
        ),
      );
      expect(names(await effectiveOf('alice'))).toEqual(['gpt-4o-mini']);
      const team = ok(await asAdmin(`query($t: ID!) { team(id: $t) { modelGrant { models { name } } } }`, { t: dir.research }));
      expect(team.team.modelGrant.models).toEqual([]);
      // made eligible again, it is back where it was granted
      ok(
        await asSuper(
          `mutation($ids: [ID!]!) { setEligibleModels(modelIds: $ids) { id } }`,
          { ids: [ids['gpt-4o'], ids['gpt-4o-mini'], ids['dall-e-3']] },
          account,
        ),
      );
      expect(names(await effectiveOf('alice'))).toEqual(['dall-e-3', 'gpt-4o-mini']);
    });

    it('CA5: aliases name their model in effective sets; a key allow-list narrows the requests made with it', async () => {
      const ALIAS = `mutation($a: String!, $m: ID!) { setModelAlias(alias: $a, modelId: $m) { alias model { name } } }`;
      expect(ok(await asAdmin(ALIAS, { a: 'Fast', m: ids['gpt-4o-mini'] })).setModelAlias).toEqual({
        alias: 'fast',
        model: { name: 'gpt-4o-mini' },
      });
      const clash = await asAdmin(ALIAS, { a: 'gpt-4o', m: ids['gpt-4o-mini'] });
      expect(clash.body.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { alias: expect.any(String) } });
      const outside = await asAdmin(ALIAS, { a: 'smart', m: ids.outside });
      expect(outside.body.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { modelId: expect.any(String) } });
      expect(codeOf(await asAdmin(ALIAS, { a: 'x', m: '0193f000-0000-7000-8000-0000000000ff' }))).toBe('NOT_FOUND');
      expect((await effectiveOf('alice')).models).toEqual([
        { model: { name: 'dall-e-3' }, aliases: [] },
        { model: { name: 'gpt-4o-mini' }, aliases: ['fast'] },
      ]);
      expect(ok(await asAdmin(`{ account { modelAliases { alias model { name } } } }`)).account.modelAliases).toEqual([
        { alias: 'fast', model: { name: 'gpt-4o-mini' } },
      ]);

      const key = ok(
        await asAdmin(
          `mutation($u: ID!) { createApiKey(input: { name: "alice-cli", tier: CLIENT, userId: $u, modelAllowlist: ["fast"] }) { secret } }`,
          {
            u: dir.alice,
          },
        ),
      ).createApiKey.secret;
      const viaKey = ok(
        await s.gql(
          `{ effectiveModels { models { model { name } aliases } } fast: resolveModel(name: "FAST") { model { name } } dalle: resolveModel(name: "dall-e-3") { model { name } } }`,
          {},
          { token: key },
        ),
      );
      expect(viaKey.effectiveModels.models).toEqual([{ model: { name: 'gpt-4o-mini' }, aliases: ['fast'] }]);
      expect(viaKey.fast).toEqual({ model: { name: 'gpt-4o-mini' } });
      expect(viaKey.dalle).toBeNull();
      // the same user without a key limit keeps the whole set
      const open = ok(
        await asAdmin(`mutation($u: ID!) { createApiKey(input: { name: "alice-all", tier: CLIENT, userId: $u }) { secret } }`, {
          u: dir.alice,
        }),
      ).createApiKey.secret;
      expect(names(ok(await s.gql(`{ effectiveModels { models { model { name } } } }`, {}, { token: open })).effectiveModels)).toEqual([
        'dall-e-3',
        'gpt-4o-mini',
      ]);
      // an end user may read their own set, never an admin's view of others
      expect(codeOf(await s.gql(OF, { u: dir.bob }, { token: key }))).toBe('FORBIDDEN');
      expect(ok(await asAdmin(`mutation { removeModelAlias(alias: "fast") }`)).removeModelAlias).toBe(true);
    });

    it('audits every grant and alias write on the account chain', async () => {
      const types = ['model_grant.set', 'model_grant.cleared', 'model_alias.set', 'model_alias.removed'];
      const seen = await eventually(async () => {
        const r = ok(
          await asAdmin(`query($t: [String!]) { auditLog(first: 100, filter: { types: $t }) { nodes { type } } }`, { t: types }),
        );
        const got = new Set(r.auditLog.nodes.map((n: any) => n.type));
        return types.every((t) => got.has(t)) ? r.auditLog.nodes : undefined;
      });
      expect(seen.filter((n: any) => n.type === 'model_grant.set')).toHaveLength(6);
    });
  });
});
