import { principal, startTestSubgraph, type TestSubgraph } from '@cockpit/kit';
import { createCatalogSubgraph } from '../src';

describe('catalog subgraph: per-account eligibility (CA2)', () => {
  let t: TestSubgraph;
  const accountA = '0193f000-0000-7000-8000-00000000000a';
  const accountB = '0193f000-0000-7000-8000-00000000000b';
  const accountC = '0193f000-0000-7000-8000-00000000000c';
  const platformAdmin = principal({ superAdmin: true, roles: ['SUPER_ADMIN'] });
  const superOn = (accountId: string) => principal({ superAdmin: true, accountId, roles: ['SUPER_ADMIN'] });

  beforeAll(async () => {
    t = await startTestSubgraph(createCatalogSubgraph);
    const provider = await call(platformAdmin, `mutation { createProvider(input: { name: "openai", kind: OPENAI }) { id } }`);
    for (const [name, kind] of [
      ['gpt-4o', 'CHAT'],
      ['claude-sonnet-4.5', 'CHAT'],
      ['dall-e-3', 'IMAGE'],
      ['gpt-3.5-turbo', 'CHAT'],
    ]) {
      const r = await call(platformAdmin, `mutation($i: CreateModelInput!) { createModel(input: $i) { id } }`, {
        i: { providerId: provider.data.createProvider.id, name, displayName: name, kind, inputPricePerMtok: '1', outputPricePerMtok: '2' },
      });
      ids[name] = r.data.createModel.id;
    }
    await call(platformAdmin, `mutation($id: ID!) { updateModel(id: $id, input: { status: DEPRECATED }) { id } }`, {
      id: ids['gpt-3.5-turbo'],
    });
  });
  afterAll(() => t?.close());

  const ids: Record<string, string> = {};
  const call = (who: ReturnType<typeof principal>, q: string, v?: Record<string, unknown>) => t.call(who, q, v);
  const SET = `mutation($ids: [ID!]!) { setEligibleModels(modelIds: $ids) { name } }`;
  const ELIGIBLE = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Account { id eligibleModels { name kind isMedia } } } }`;
  const refs = (...accounts: string[]) => ({ r: accounts.map((id) => ({ __typename: 'Account', id })) });
  const events = async () => (await t.outbox()).filter((e) => e.type === 'account.eligible_models.set');

  it('lets a super admin set the eligible set of the account named by X-Account-Id', async () => {
    const r = await call(superOn(accountA), SET, { ids: [ids['gpt-4o'], ids['dall-e-3'], ids['gpt-4o']] });
    expect(r.errors).toBeUndefined();
    expect(r.data.setEligibleModels).toEqual([{ name: 'dall-e-3' }, { name: 'gpt-4o' }]);
    const [e] = await events();
    expect(e).toMatchObject({ accountId: accountA, type: 'account.eligible_models.set', subject: { type: 'Account', id: accountA } });
    expect(new Set(e.payload.added as string[])).toEqual(new Set([ids['gpt-4o'], ids['dall-e-3']]));
    expect(e.payload.removed).toEqual([]);
  });

  it('replaces the set and audits exactly what was added and removed', async () => {
    const r = await call(superOn(accountA), SET, { ids: [ids['gpt-4o'], ids['claude-sonnet-4.5']] });
    expect(r.data.setEligibleModels).toEqual([{ name: 'claude-sonnet-4.5' }, { name: 'gpt-4o' }]);
    const last = (await events()).at(-1)!;
    expect(last.payload).toEqual({ added: [ids['claude-sonnet-4.5']], removed: [ids['dall-e-3']] });
  });

  it('answers NOT_FOUND for an unknown or malformed model id and changes nothing', async () => {
    const before = (await events()).length;
    for (const bad of ['0193f000-0000-7000-8000-0000000000ff', 'gpt-4o']) {
      const r = await call(superOn(accountA), SET, { ids: [ids['gpt-4o'], bad] });
      expect(r.errors?.[0].extensions.code).toBe('NOT_FOUND');
    }
    expect(await events()).toHaveLength(before);
  });

  it('answers VALIDATION_ERROR with details when newly granting a deprecated model', async () => {
    const r = await call(superOn(accountA), SET, { ids: [ids['gpt-3.5-turbo']] });
    expect(r.errors?.[0].extensions).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { modelIds: expect.stringContaining(ids['gpt-3.5-turbo']) },
    });
  });

  it('needs an account to act on', async () => {
    const r = await call(platformAdmin, SET, { ids: [] });
    expect(r.errors?.[0].extensions.code).toBe('INVALID_REQUEST');
  });

  it('forbids account owners and viewers from setting eligibility', async () => {
    for (const roles of [['OWNER'], ['VIEWER']] as const) {
      const r = await call(principal({ accountId: accountA, roles: [...roles] }), SET, { ids: [ids['dall-e-3']] });
      expect(r.errors?.[0].extensions.code).toBe('FORBIDDEN');
    }
  });

  it("lets a viewer read their account's eligible models through the Account entity", async () => {
    const r = await call(principal({ accountId: accountA, roles: ['VIEWER'] }), ELIGIBLE, refs(accountA));
    expect(r.errors).toBeUndefined();
    expect(r.data._entities).toEqual([
      {
        id: accountA,
        eligibleModels: [
          { name: 'claude-sonnet-4.5', kind: 'CHAT', isMedia: false },
          { name: 'gpt-4o', kind: 'CHAT', isMedia: false },
        ],
      },
    ]);
  });

  it("resolves another tenant's account reference to null", async () => {
    const r = await call(principal({ accountId: accountB, roles: ['OWNER'] }), ELIGIBLE, refs(accountA));
    expect(r.errors).toBeUndefined();
    expect(r.data._entities).toEqual([null]);
  });

  it('loads the eligible models of several accounts with one query of each table', async () => {
    await call(superOn(accountB), SET, { ids: [ids['dall-e-3']] });
    let r: Awaited<ReturnType<typeof call>> = {};
    // a super admin acting on account C may still look at A and B
    const statements = await t.statements(async () => {
      r = await call(superOn(accountC), ELIGIBLE, refs(accountA, accountB, accountC));
    });
    expect(r.errors).toBeUndefined();
    expect(r.data._entities.map((a: any) => a.eligibleModels.map((m: any) => m.name))).toEqual([
      ['claude-sonnet-4.5', 'gpt-4o'],
      ['dall-e-3'],
      [],
    ]);
    expect(statements.filter((s) => s.includes('"account_model_eligibility"'))).toHaveLength(1);
    expect(statements.filter((s) => s.includes('"catalog"."model"'))).toHaveLength(1);
  });
});
