import { codeOf, ok, startTestStack, type TestStack } from '../support/stack';

/** The catalog through the gateway: providers, models with price history (CA1) and eligibility (CA2). */
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
});
