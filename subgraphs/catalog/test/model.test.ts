import { callSubgraph, PLATFORM_ACCOUNT_ID, principal, startTestSubgraph, type TestSubgraph } from '@cockpit/kit';
import { createCatalogSubgraph } from '../src';

describe('catalog subgraph: model catalog (CA1)', () => {
  let t: TestSubgraph;
  const accountA = '0193f000-0000-7000-8000-00000000000a';
  const platformAdmin = principal({ superAdmin: true, roles: ['SUPER_ADMIN'] });
  const superA = principal({ superAdmin: true, accountId: accountA, roles: ['SUPER_ADMIN'] });
  const ownerA = principal({ accountId: accountA, roles: ['OWNER'] });

  beforeAll(async () => {
    t = await startTestSubgraph(createCatalogSubgraph);
    gpt4o.providerId = (await newProvider()).id;
  });
  afterAll(() => t?.close());

  const FIELDS = 'id provider { id name } name displayName kind isMedia contextWindow inputPricePerMtok outputPricePerMtok status';
  const CREATE = `mutation($i: CreateModelInput!) { createModel(input: $i) { ${FIELDS} } }`;
  const UPDATE = `mutation($id: ID!, $i: UpdateModelInput!) { updateModel(id: $id, input: $i) { ${FIELDS} } }`;
  const call = (who: ReturnType<typeof principal>, q: string, v?: Record<string, unknown>) => t.call(who, q, v);
  const gpt4o: Record<string, unknown> = {
    providerId: '',
    name: 'gpt-4o',
    displayName: 'GPT-4o',
    kind: 'CHAT',
    inputPricePerMtok: '2.50',
    outputPricePerMtok: '10',
  };
  const outbox = () => t.outbox();

  // The catalog is platform-wide: every test adds its own models, named uniquely, and asserts only on them.
  let n = 0;
  const unique = (base: string) => `${base}-${process.pid}-${n++}`;
  async function newProvider(over: Record<string, unknown> = {}) {
    const r = await call(
      platformAdmin,
      `mutation($i: CreateProviderInput!) { createProvider(input: $i) { id name kind baseUrl status } }`,
      {
        i: { name: unique('openai'), kind: 'OPENAI', ...over },
      },
    );
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data.createProvider as { id: string; name: string };
  }
  async function newModel(over: Record<string, unknown> = {}) {
    const r = await call(platformAdmin, CREATE, { i: { ...gpt4o, name: unique('gpt-4o'), ...over } });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data.createModel as { id: string; name: string };
  }

  it('refuses a call without the internal token', async () => {
    const r = await callSubgraph(t.url, 'catalog', null, platformAdmin, '{ _service { sdl } }');
    expect(r.status).toBe(401);
  });

  it('lets a super admin add a model and reads it back with normalised prices', async () => {
    const name = unique('gpt-4o');
    const r = await call(platformAdmin, CREATE, { i: { ...gpt4o, name } });
    expect(r.errors).toBeUndefined();
    const { providerId, ...rest } = gpt4o;
    expect(r.data.createModel).toMatchObject({
      ...rest,
      provider: { id: providerId },
      name,
      inputPricePerMtok: '2.5',
      isMedia: false,
      status: 'ACTIVE',
    });
    const read = await call(platformAdmin, `query($id: ID!) { model(id: $id) { name inputPricePerMtok } }`, {
      id: r.data.createModel.id,
    });
    expect(read.data.model).toEqual({ name, inputPricePerMtok: '2.5' });
    const unknown = await call(platformAdmin, `query($id: ID!) { model(id: $id) { name } }`, {
      id: '0193f000-0000-7000-8000-0000000000ff',
    });
    expect(unknown.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });

  it('lets a super admin acting on an account still write the catalog (platform chain)', async () => {
    const r = await call(superA, CREATE, {
      i: {
        providerId: gpt4o.providerId,
        name: unique('dall-e-3'),
        displayName: 'DALL·E 3',
        kind: 'IMAGE',
        inputPricePerMtok: '0',
        outputPricePerMtok: '40',
      },
    });
    expect(r.errors).toBeUndefined();
    expect(r.data.createModel).toMatchObject({ kind: 'IMAGE', isMedia: true });
    const [event] = (await outbox()).filter((e) => e.subject?.id === r.data.createModel.id);
    expect(event.accountId).toBe(PLATFORM_ACCOUNT_ID);
    expect(event).toMatchObject({ type: 'model.created', actor: { subject: superA.subject }, requestId: superA.requestId });
  });

  it('answers VALIDATION_ERROR with field details for a bad slug, provider and negative prices', async () => {
    const r = await call(platformAdmin, CREATE, {
      i: {
        ...gpt4o,
        name: 'GPT 4o',
        providerId: 'openai',
        displayName: ' ',
        contextWindow: 0,
        inputPricePerMtok: '-1',
        outputPricePerMtok: '-0.5',
      },
    });
    expect(r.data).toBeNull();
    expect(r.errors?.[0].extensions).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: {
        name: expect.any(String),
        providerId: expect.any(String),
        contextWindow: expect.any(String),
        displayName: expect.any(String),
        inputPricePerMtok: expect.any(String),
        outputPricePerMtok: expect.any(String),
      },
    });
    expect(r.errors?.[0].extensions.requestId).toBe(platformAdmin.requestId);
  });

  it('refuses a name longer than 100 characters', async () => {
    const r = await call(platformAdmin, CREATE, { i: { ...gpt4o, name: 'a'.repeat(101) } });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { name: expect.any(String) } });
  });

  it('answers CONFLICT for a duplicate name', async () => {
    const taken = await newModel();
    const r = await call(platformAdmin, CREATE, { i: { ...gpt4o, name: taken.name } });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', details: { name: expect.any(String) } });
  });

  it('updates only the given fields and audits what changed', async () => {
    const model = await newModel();
    const r = await call(platformAdmin, UPDATE, {
      id: model.id,
      i: { outputPricePerMtok: '12.5', status: 'DEPRECATED', inputPricePerMtok: '2.5000' },
    });
    expect(r.errors).toBeUndefined();
    expect(r.data.updateModel).toMatchObject({
      name: model.name,
      inputPricePerMtok: '2.5',
      outputPricePerMtok: '12.5',
      status: 'DEPRECATED',
    });
    const updated = (await outbox()).filter((e) => e.type === 'model.updated' && e.subject?.id === model.id);
    expect(updated).toHaveLength(1);
    // an unchanged price spelled differently is not a change
    expect(updated[0].payload).toEqual({
      before: { outputPricePerMtok: '10', status: 'ACTIVE' },
      after: { outputPricePerMtok: '12.5', status: 'DEPRECATED' },
    });
  });

  it('answers CONFLICT when renaming onto another model, VALIDATION_ERROR for a null field, NOT_FOUND for an unknown id', async () => {
    const [model, other] = [await newModel(), await newModel()];
    const rename = await call(platformAdmin, UPDATE, { id: model.id, i: { name: other.name } });
    expect(rename.errors?.[0].extensions.code).toBe('CONFLICT');
    const nulled = await call(platformAdmin, UPDATE, { id: model.id, i: { name: null, inputPricePerMtok: '-3' } });
    expect(nulled.errors?.[0].extensions).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { name: expect.any(String), inputPricePerMtok: expect.any(String) },
    });
    for (const id of ['0193f000-0000-7000-8000-0000000000ff', 'not-a-uuid']) {
      const r = await call(platformAdmin, UPDATE, { id, i: { displayName: 'X' } });
      expect(r.errors?.[0].extensions.code).toBe('NOT_FOUND');
    }
  });

  it('lists the catalog with filters, keyset pages and a total count', async () => {
    // this test's models, under providers no other test uses, so the filters select exactly them
    const [p1, p2] = [(await newProvider()).id, (await newProvider()).id];
    const chat = await newModel({ providerId: p1 });
    await call(platformAdmin, UPDATE, { id: chat.id, i: { status: 'DEPRECATED' } });
    const image = await newModel({ providerId: p1, kind: 'IMAGE', name: unique('img') });
    const other = await newModel({ providerId: p2, name: unique('claude') });
    const embedding = await newModel({ providerId: p1, kind: 'EMBEDDING', name: unique('embed') });
    const LIST = `query($first: Int, $after: String, $f: ModelFilter) { models(first: $first, after: $after, filter: $f) { totalCount nodes { name } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
    const all = await call(platformAdmin, LIST, { first: 100 });
    const names = all.data.models.nodes.map((m: any) => m.name);
    // in creation order (UUIDv7 ids)
    expect(names.filter((x: string) => [chat, image, other, embedding].some((m) => m.name === x))).toEqual([
      chat.name,
      image.name,
      other.name,
      embedding.name,
    ]);
    expect(all.data.models.totalCount).toBe(names.length);

    const first = await call(platformAdmin, LIST, { first: 2, f: { providerId: p1 } });
    expect(first.data.models).toMatchObject({
      totalCount: 3,
      nodes: [{ name: chat.name }, { name: image.name }],
      pageInfo: { hasNextPage: true, hasPreviousPage: false },
    });
    const next = await call(platformAdmin, LIST, { first: 2, f: { providerId: p1 }, after: first.data.models.pageInfo.endCursor });
    expect(next.data.models).toMatchObject({
      nodes: [{ name: embedding.name }],
      pageInfo: { hasNextPage: false, hasPreviousPage: true },
    });

    const media = await call(platformAdmin, LIST, { f: { kind: 'IMAGE', providerId: p1 } });
    expect(media.data.models.nodes).toEqual([{ name: image.name }]);
    const deprecated = await call(platformAdmin, LIST, { f: { status: 'DEPRECATED', providerId: p1 } });
    expect(deprecated.data.models.nodes).toEqual([{ name: chat.name }]);

    const bad = await call(platformAdmin, LIST, { after: 'nope' });
    expect(bad.errors?.[0].extensions.code).toBe('INVALID_REQUEST');
  });

  it('forbids an account owner from reading or writing the catalog', async () => {
    const write = await call(ownerA, CREATE, { i: { ...gpt4o, name: 'owner-model' } });
    expect(write.errors?.[0].extensions.code).toBe('FORBIDDEN');
    const model = await newModel();
    const update = await call(ownerA, UPDATE, { id: model.id, i: { displayName: 'Mine' } });
    expect(update.errors?.[0].extensions.code).toBe('FORBIDDEN');
    const read = await call(ownerA, `{ models { totalCount } }`);
    expect(read.errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await outbox()).some((e) => JSON.stringify(e).includes('owner-model'))).toBe(false);
  });

  it('writes one outbox row on the platform chain for each catalog write, none for a write that changes nothing', async () => {
    const model = await newModel();
    await call(platformAdmin, UPDATE, { id: model.id, i: { outputPricePerMtok: '11' } });
    await call(platformAdmin, UPDATE, { id: model.id, i: { outputPricePerMtok: '11.0' } });
    const events = (await outbox()).filter((e) => e.subject?.id === model.id);
    // the relay cannot reach observability here, so the events wait in the outbox
    expect(events.map((e) => e.type)).toEqual(['model.created', 'model.updated']);
    for (const e of events) {
      expect(e.accountId).toBe(PLATFORM_ACCOUNT_ID);
      expect(e).toMatchObject({
        accountId: PLATFORM_ACCOUNT_ID,
        domain: 'PLATFORM',
        subject: { type: 'Model', id: model.id },
      });
    }
  });

  it('keeps every price with the instant it took effect and answers the price at a past instant', async () => {
    const model = await newModel({ inputPricePerMtok: '1', outputPricePerMtok: '2' });
    const PRICES = `query($id: ID!, $at: DateTime!, $before: DateTime!) { model(id: $id) { inputPricePerMtok prices { validFrom inputPricePerMtok outputPricePerMtok } priceAt(at: $at) { inputPricePerMtok outputPricePerMtok } never: priceAt(at: $before) { validFrom } } }`;
    const between = new Date();
    await new Promise((r) => setTimeout(r, 5));
    const r = await call(platformAdmin, UPDATE, { id: model.id, i: { inputPricePerMtok: '1.5', displayName: 'Renamed' } });
    expect(r.errors).toBeUndefined();
    const read = await call(platformAdmin, PRICES, { id: model.id, at: between.toISOString(), before: '2000-01-01T00:00:00Z' });
    expect(read.errors).toBeUndefined();
    expect(read.data.model.inputPricePerMtok).toBe('1.5');
    expect(read.data.model.prices.map((p: any) => [p.inputPricePerMtok, p.outputPricePerMtok])).toEqual([
      ['1.5', '2'],
      ['1', '2'],
    ]);
    expect(read.data.model.priceAt).toEqual({ inputPricePerMtok: '1', outputPricePerMtok: '2' });
    expect(read.data.model.never).toBeNull();
    // a change of another field adds no price
    await call(platformAdmin, UPDATE, { id: model.id, i: { contextWindow: 128000 } });
    const again = await call(platformAdmin, PRICES, { id: model.id, at: new Date().toISOString(), before: '2000-01-01T00:00:00Z' });
    expect(again.data.model.prices).toHaveLength(2);
  });

  it('manages providers: URL rules, CONFLICT, disabled providers take no models, owners are refused', async () => {
    const CREATE_P = `mutation($i: CreateProviderInput!) { createProvider(input: $i) { id name kind baseUrl status } }`;
    const UPDATE_P = `mutation($id: ID!, $i: UpdateProviderInput!) { updateProvider(id: $id, input: $i) { id name baseUrl status } }`;
    const azure = await call(platformAdmin, CREATE_P, { i: { name: unique('azure'), kind: 'AZURE_OPENAI' } });
    expect(azure.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { baseUrl: expect.any(String) } });
    const bad = await call(platformAdmin, CREATE_P, { i: { name: 'Bad Name', kind: 'OPENAI', baseUrl: 'https://u:p@example.com' } });
    expect(bad.errors?.[0].extensions).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { name: expect.any(String), baseUrl: expect.any(String) },
    });
    const p = await newProvider({ kind: 'OPENAI_COMPATIBLE', baseUrl: 'https://llm.example.com/v1' });
    const dup = await call(platformAdmin, CREATE_P, { i: { name: p.name, kind: 'OPENAI' } });
    expect(dup.errors?.[0].extensions.code).toBe('CONFLICT');
    const clear = await call(platformAdmin, UPDATE_P, { id: p.id, i: { baseUrl: null } });
    expect(clear.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { baseUrl: expect.any(String) } });
    const disabled = await call(platformAdmin, UPDATE_P, { id: p.id, i: { status: 'DISABLED' } });
    expect(disabled.data.updateProvider.status).toBe('DISABLED');
    const model = await call(platformAdmin, CREATE, { i: { ...gpt4o, name: unique('m'), providerId: p.id } });
    expect(model.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { providerId: expect.any(String) } });
    const unknown = await call(platformAdmin, CREATE, {
      i: { ...gpt4o, name: unique('m'), providerId: '0193f000-0000-7000-8000-0000000000ff' },
    });
    expect(unknown.errors?.[0].extensions.code).toBe('NOT_FOUND');
    const owner = await call(ownerA, CREATE_P, { i: { name: unique('mine'), kind: 'OPENAI' } });
    expect(owner.errors?.[0].extensions.code).toBe('FORBIDDEN');
    const events = (await outbox()).filter((e) => e.subject?.id === p.id).map((e) => e.type);
    expect(events).toEqual(['provider.created', 'provider.updated']);
  });
});
