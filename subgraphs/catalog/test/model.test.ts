import { callSubgraph, freshDatabase, PLATFORM_ACCOUNT_ID, principal, testKeys, testLogger, type BuiltSubgraph } from '@cockpit/kit';
import { createCatalogSubgraph } from '../src';

describe('catalog subgraph: model catalog (CA1)', () => {
  const keys = testKeys();
  let db: { url: string; close(): Promise<void> };
  let server: BuiltSubgraph;
  let url: string;
  const accountA = '0193f000-0000-7000-8000-00000000000a';
  const platformAdmin = principal({ superAdmin: true, roles: ['SUPER_ADMIN'] });
  const superA = principal({ superAdmin: true, accountId: accountA, roles: ['SUPER_ADMIN'] });
  const ownerA = principal({ accountId: accountA, roles: ['OWNER'] });

  beforeAll(async () => {
    db = await freshDatabase();
    server = await createCatalogSubgraph({
      databaseUrl: db.url,
      gatewayPublicKey: keys.publicKey,
      serviceKey: keys.privateKey,
      observabilityUrl: 'http://127.0.0.1:9/unused',
      log: testLogger(),
    });
    url = await server.listen();
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  const FIELDS = 'id provider name displayName kind isMedia inputPricePerMtok outputPricePerMtok status';
  const CREATE = `mutation($i: CreateModelInput!) { createModel(input: $i) { ${FIELDS} } }`;
  const UPDATE = `mutation($id: ID!, $i: UpdateModelInput!) { updateModel(id: $id, input: $i) { ${FIELDS} } }`;
  const call = (who: ReturnType<typeof principal>, q: string, v?: Record<string, unknown>) =>
    callSubgraph(url, 'catalog', keys.privateKey, who, q, v);
  const gpt4o = {
    provider: 'openai',
    name: 'gpt-4o',
    displayName: 'GPT-4o',
    kind: 'CHAT',
    inputPricePerMtok: '2.50',
    outputPricePerMtok: '10',
  };
  const outbox = async () =>
    (await server.orm.em.getConnection().execute(`select account_id, body from catalog.outbox order by id`)) as {
      account_id: string;
      body: any;
    }[];

  let gptId: string;

  it('refuses a call without the internal token', async () => {
    const r = await callSubgraph(url, 'catalog', null, platformAdmin, '{ _service { sdl } }');
    expect(r.status).toBe(401);
  });

  it('lets a super admin add a model and reads it back with normalised prices', async () => {
    const r = await call(platformAdmin, CREATE, { i: gpt4o });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.createModel).toMatchObject({ ...gpt4o, inputPricePerMtok: '2.5', isMedia: false, status: 'ACTIVE' });
    gptId = r.body.data.createModel.id;
    const read = await call(platformAdmin, `query($id: ID!) { model(id: $id) { name inputPricePerMtok } }`, { id: gptId });
    expect(read.body.data.model).toEqual({ name: 'gpt-4o', inputPricePerMtok: '2.5' });
    const unknown = await call(platformAdmin, `query($id: ID!) { model(id: $id) { name } }`, {
      id: '0193f000-0000-7000-8000-0000000000ff',
    });
    expect(unknown.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('lets a super admin acting on an account still write the catalog (platform chain)', async () => {
    const r = await call(superA, CREATE, {
      i: { provider: 'openai', name: 'dall-e-3', displayName: 'DALL·E 3', kind: 'IMAGE', inputPricePerMtok: '0', outputPricePerMtok: '40' },
    });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.createModel).toMatchObject({ kind: 'IMAGE', isMedia: true });
  });

  it('answers VALIDATION_ERROR with field details for a bad slug, provider and negative prices', async () => {
    const r = await call(platformAdmin, CREATE, {
      i: { ...gpt4o, name: 'GPT 4o', provider: 'Open AI', displayName: ' ', inputPricePerMtok: '-1', outputPricePerMtok: '-0.5' },
    });
    expect(r.body.data).toBeNull();
    expect(r.body.errors[0].extensions).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: {
        name: expect.any(String),
        provider: expect.any(String),
        displayName: expect.any(String),
        inputPricePerMtok: expect.any(String),
        outputPricePerMtok: expect.any(String),
      },
    });
    expect(r.body.errors[0].extensions.requestId).toBe(platformAdmin.requestId);
  });

  it('refuses a name longer than 100 characters', async () => {
    const r = await call(platformAdmin, CREATE, { i: { ...gpt4o, name: 'a'.repeat(101) } });
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { name: expect.any(String) } });
  });

  it('answers CONFLICT for a duplicate name', async () => {
    const r = await call(platformAdmin, CREATE, { i: gpt4o });
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'CONFLICT', details: { name: expect.any(String) } });
  });

  it('updates only the given fields and audits what changed', async () => {
    const r = await call(platformAdmin, UPDATE, {
      id: gptId,
      i: { outputPricePerMtok: '12.5', status: 'DEPRECATED', inputPricePerMtok: '2.5000' },
    });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.updateModel).toMatchObject({
      name: 'gpt-4o',
      inputPricePerMtok: '2.5',
      outputPricePerMtok: '12.5',
      status: 'DEPRECATED',
    });
    const updated = (await outbox()).filter((e) => e.body.type === 'model.updated');
    expect(updated).toHaveLength(1);
    // an unchanged price spelled differently is not a change
    expect(updated[0].body.payload).toEqual({
      before: { outputPricePerMtok: '10', status: 'ACTIVE' },
      after: { outputPricePerMtok: '12.5', status: 'DEPRECATED' },
    });
  });

  it('answers CONFLICT when renaming onto another model, VALIDATION_ERROR for a null field, NOT_FOUND for an unknown id', async () => {
    const rename = await call(platformAdmin, UPDATE, { id: gptId, i: { name: 'dall-e-3' } });
    expect(rename.body.errors[0].extensions.code).toBe('CONFLICT');
    const nulled = await call(platformAdmin, UPDATE, { id: gptId, i: { name: null, inputPricePerMtok: '-3' } });
    expect(nulled.body.errors[0].extensions).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { name: expect.any(String), inputPricePerMtok: expect.any(String) },
    });
    for (const id of ['0193f000-0000-7000-8000-0000000000ff', 'not-a-uuid']) {
      const r = await call(platformAdmin, UPDATE, { id, i: { displayName: 'X' } });
      expect(r.body.errors[0].extensions.code).toBe('NOT_FOUND');
    }
  });

  it('lists the catalog with filters, keyset pages and a total count', async () => {
    await call(platformAdmin, CREATE, {
      i: {
        provider: 'anthropic',
        name: 'claude-sonnet-4.5',
        displayName: 'Claude Sonnet 4.5',
        kind: 'CHAT',
        inputPricePerMtok: '3',
        outputPricePerMtok: '15',
      },
    });
    await call(platformAdmin, CREATE, {
      i: {
        provider: 'openai',
        name: 'text-embedding-3-small',
        displayName: 'Embedding 3 small',
        kind: 'EMBEDDING',
        inputPricePerMtok: '0.02',
        outputPricePerMtok: '0',
      },
    });
    const LIST = `query($first: Int, $after: String, $f: ModelFilter) { models(first: $first, after: $after, filter: $f) { totalCount nodes { name } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
    const all = await call(platformAdmin, LIST, {});
    expect(all.body.data.models.nodes.map((m: any) => m.name)).toEqual([
      'gpt-4o',
      'dall-e-3',
      'claude-sonnet-4.5',
      'text-embedding-3-small',
    ]);
    expect(all.body.data.models.totalCount).toBe(4);

    const openai = await call(platformAdmin, LIST, { first: 2, f: { provider: 'openai' } });
    expect(openai.body.data.models).toMatchObject({
      totalCount: 3,
      nodes: [{ name: 'gpt-4o' }, { name: 'dall-e-3' }],
      pageInfo: { hasNextPage: true, hasPreviousPage: false },
    });
    const next = await call(platformAdmin, LIST, {
      first: 2,
      f: { provider: 'openai' },
      after: openai.body.data.models.pageInfo.endCursor,
    });
    expect(next.body.data.models).toMatchObject({
      nodes: [{ name: 'text-embedding-3-small' }],
      pageInfo: { hasNextPage: false, hasPreviousPage: true },
    });

    const media = await call(platformAdmin, LIST, { f: { kind: 'IMAGE' } });
    expect(media.body.data.models.nodes).toEqual([{ name: 'dall-e-3' }]);
    const deprecated = await call(platformAdmin, LIST, { f: { status: 'DEPRECATED', provider: 'openai' } });
    expect(deprecated.body.data.models.nodes).toEqual([{ name: 'gpt-4o' }]);

    const bad = await call(platformAdmin, LIST, { after: 'nope' });
    expect(bad.body.errors[0].extensions.code).toBe('INVALID_REQUEST');
  });

  it('forbids an account owner from reading or writing the catalog', async () => {
    const write = await call(ownerA, CREATE, { i: { ...gpt4o, name: 'owner-model' } });
    expect(write.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const update = await call(ownerA, UPDATE, { id: gptId, i: { displayName: 'Mine' } });
    expect(update.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const read = await call(ownerA, `{ models { totalCount } }`);
    expect(read.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await outbox()).some((e) => JSON.stringify(e.body).includes('owner-model'))).toBe(false);
  });

  it('wrote an outbox row on the platform chain for every catalog write', async () => {
    const events = await outbox();
    // the relay cannot reach observability here, so the events wait in the outbox
    expect(events.map((e) => e.body.type)).toEqual(['model.created', 'model.created', 'model.updated', 'model.created', 'model.created']);
    for (const e of events) {
      expect(e.account_id).toBe(PLATFORM_ACCOUNT_ID);
      expect(e.body).toMatchObject({
        accountId: PLATFORM_ACCOUNT_ID,
        domain: 'PLATFORM',
        subject: { type: 'Model', id: expect.any(String) },
      });
    }
    expect(events[1].body.actor.subject).toBe(superA.subject);
    expect(events[1].body.requestId).toBe(superA.requestId);
  });
});
