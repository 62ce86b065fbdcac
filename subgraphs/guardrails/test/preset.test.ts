import { callSubgraph, freshDatabase, principal, testKeys, testLogger, type BuiltSubgraph } from '@cockpit/kit';
import { createGuardrailsSubgraph } from '../src';

describe('guardrails subgraph: presets (GP1)', () => {
  const keys = testKeys();
  let db: { url: string; close(): Promise<void> };
  let server: BuiltSubgraph;
  let url: string;
  // every SQL statement the ORM sends, so a test can count the loader's queries
  const statements: string[] = [];
  const accountA = '0193f000-0000-7000-8000-00000000000a';
  const accountB = '0193f000-0000-7000-8000-00000000000b';
  const adminA = principal({ accountId: accountA, roles: ['ADMIN'] });
  const viewerA = principal({ accountId: accountA, roles: ['VIEWER'] });
  const adminB = principal({ accountId: accountB, roles: ['ADMIN'] });
  const platformAdmin = principal({ superAdmin: true, roles: ['SUPER_ADMIN'] });

  beforeAll(async () => {
    db = await freshDatabase();
    server = await createGuardrailsSubgraph({
      databaseUrl: db.url,
      gatewayPublicKey: keys.publicKey,
      serviceKey: keys.privateKey,
      observabilityUrl: 'http://127.0.0.1:9/unused',
      log: testLogger(),
      onQuery: (sql) => statements.push(sql),
    });
    url = await server.listen();
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  const FIELDS = 'id accountId name description config severity version';
  const CREATE = `mutation($i: CreateGuardrailPresetInput!) { createGuardrailPreset(input: $i) { ${FIELDS} } }`;
  const UPDATE = `mutation($id: ID!, $i: UpdateGuardrailPresetInput!, $v: Int) { updateGuardrailPreset(id: $id, input: $i, expectedVersion: $v) { ${FIELDS} } }`;
  const DELETE = `mutation($id: ID!) { deleteGuardrailPreset(id: $id) }`;
  const GET = `query($id: ID!) { guardrailPreset(id: $id) { ${FIELDS} } }`;
  const LIST = `query($first: Int, $after: String, $f: GuardrailPresetFilter) { guardrailPresets(first: $first, after: $after, filter: $f) { totalCount nodes { name } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
  const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on GuardrailPreset { id name } } }`;
  const call = (who: ReturnType<typeof principal>, q: string, v?: Record<string, unknown>) =>
    callSubgraph(url, 'guardrails', keys.privateKey, who, q, v);
  const outbox = async () =>
    (await server.orm.em.getConnection().execute(`select account_id, body from guardrails.outbox order by id`)) as {
      account_id: string;
      body: any;
    }[];
  const strict = { blockedTerms: ['password', 'ssn'], piiRedaction: true };

  let strictId: string;

  it('lets an account admin create a preset at version 1', async () => {
    const r = await call(adminA, CREATE, { i: { name: 'Strict', description: 'Blocks secrets', config: strict, severity: 'HIGH' } });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.createGuardrailPreset).toMatchObject({
      accountId: accountA,
      name: 'Strict',
      description: 'Blocks secrets',
      config: strict,
      severity: 'HIGH',
      version: 1,
    });
    strictId = r.body.data.createGuardrailPreset.id;
    const read = await call(viewerA, GET, { id: strictId });
    expect(read.body.data.guardrailPreset).toEqual(r.body.data.createGuardrailPreset);
  });

  it('defaults the config to {} and the severity to MEDIUM', async () => {
    const r = await call(adminA, CREATE, { i: { name: 'Lenient' } });
    expect(r.body.data.createGuardrailPreset).toMatchObject({ config: {}, severity: 'MEDIUM', description: '', version: 1 });
  });

  it('answers VALIDATION_ERROR with field details', async () => {
    const r = await call(adminA, CREATE, {
      i: { name: '  ', description: 'x'.repeat(2001), config: { blockedTerms: ['ok', 3], piiRedaction: 'yes' } },
    });
    expect(r.body.data).toBeNull();
    expect(r.body.errors[0].extensions).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: {
        name: expect.any(String),
        description: expect.any(String),
        'config.blockedTerms': expect.any(String),
        'config.piiRedaction': expect.any(String),
      },
    });
    expect(r.body.errors[0].extensions.requestId).toBe(adminA.requestId);
    for (const config of [['a'], 'strict', 42, null]) {
      const bad = await call(adminA, UPDATE, { id: strictId, i: { config } });
      expect(bad.body.errors[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { config: expect.any(String) } });
    }
  });

  it('answers CONFLICT for a duplicate name in the same account, ignoring case', async () => {
    const r = await call(adminA, CREATE, { i: { name: 'sTRICT' } });
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'CONFLICT', details: { name: expect.any(String) } });
    const rename = await call(adminA, UPDATE, { id: strictId, i: { name: 'LENIENT' } });
    expect(rename.body.errors[0].extensions.code).toBe('CONFLICT');
  });

  it('lets another account use the same name', async () => {
    const r = await call(adminB, CREATE, { i: { name: 'Strict', config: { piiRedaction: false } } });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.createGuardrailPreset.accountId).toBe(accountB);
  });

  it('updates the given fields, bumps the version and replaces the config whole', async () => {
    const r = await call(adminA, UPDATE, { id: strictId, i: { config: { blockedTerms: ['password'] }, severity: 'CRITICAL' }, v: 1 });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.updateGuardrailPreset).toMatchObject({
      name: 'Strict',
      description: 'Blocks secrets',
      config: { blockedTerms: ['password'] },
      severity: 'CRITICAL',
      version: 2,
    });
    const read = await call(adminA, GET, { id: strictId });
    expect(read.body.data.guardrailPreset.config).toEqual({ blockedTerms: ['password'] });
  });

  it('answers CONFLICT for a stale expectedVersion and leaves the preset alone', async () => {
    const r = await call(adminA, UPDATE, { id: strictId, i: { severity: 'LOW' }, v: 1 });
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'CONFLICT', details: { expectedVersion: expect.stringContaining('2') } });
    const read = await call(adminA, GET, { id: strictId });
    expect(read.body.data.guardrailPreset).toMatchObject({ severity: 'CRITICAL', version: 2 });
    const ok = await call(adminA, UPDATE, { id: strictId, i: { description: 'Blocks passwords', name: 'strict' }, v: 2 });
    expect(ok.body.data.updateGuardrailPreset).toMatchObject({ name: 'strict', description: 'Blocks passwords', version: 3 });
  });

  it('does not version or audit an update that changes nothing', async () => {
    const before = (await outbox()).length;
    const r = await call(adminA, UPDATE, { id: strictId, i: { severity: 'CRITICAL', config: { blockedTerms: ['password'] } } });
    expect(r.body.data.updateGuardrailPreset.version).toBe(3);
    expect(await outbox()).toHaveLength(before);
  });

  it("answers NOT_FOUND for another account's preset, for reads and writes alike", async () => {
    for (const [q, v] of [
      [GET, { id: strictId }],
      [UPDATE, { id: strictId, i: { severity: 'LOW' } }],
      [DELETE, { id: strictId }],
      [GET, { id: 'not-a-uuid' }],
      [UPDATE, { id: '0193f000-0000-7000-8000-0000000000ff', i: { severity: 'LOW' } }],
    ] as const) {
      const r = await call(adminB, q, v);
      expect(r.body.errors[0].extensions.code).toBe('NOT_FOUND');
    }
    const read = await call(adminA, GET, { id: strictId });
    expect(read.body.data.guardrailPreset.severity).toBe('CRITICAL');
  });

  it('forbids a viewer from writing', async () => {
    for (const [q, v] of [
      [CREATE, { i: { name: 'Viewer made' } }],
      [UPDATE, { id: strictId, i: { severity: 'LOW' } }],
      [DELETE, { id: strictId }],
    ] as const) {
      const r = await call(viewerA, q, v);
      expect(r.body.errors[0].extensions.code).toBe('FORBIDDEN');
    }
  });

  it('lists the account’s presets with severity and search filters, pages and a total count', async () => {
    await call(adminA, CREATE, {
      i: { name: 'PII only', description: 'Redacts 100% of PII', config: { piiRedaction: true }, severity: 'HIGH' },
    });
    const all = await call(viewerA, LIST, {});
    expect(all.body.data.guardrailPresets).toMatchObject({
      totalCount: 3,
      nodes: [{ name: 'strict' }, { name: 'Lenient' }, { name: 'PII only' }],
    });

    const page1 = await call(viewerA, LIST, { first: 2 });
    expect(page1.body.data.guardrailPresets.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const page2 = await call(viewerA, LIST, { first: 2, after: page1.body.data.guardrailPresets.pageInfo.endCursor });
    expect(page2.body.data.guardrailPresets).toMatchObject({
      nodes: [{ name: 'PII only' }],
      pageInfo: { hasNextPage: false, hasPreviousPage: true },
    });

    const high = await call(viewerA, LIST, { f: { severity: 'HIGH' } });
    expect(high.body.data.guardrailPresets).toMatchObject({ totalCount: 1, nodes: [{ name: 'PII only' }] });
    const search = await call(viewerA, LIST, { f: { search: 'PASSWORD' } });
    expect(search.body.data.guardrailPresets.nodes).toEqual([{ name: 'strict' }]);
    // LIKE wildcards are literal: "0%" matches "100%" only, "_" matches nothing here
    expect((await call(viewerA, LIST, { f: { search: '0%' } })).body.data.guardrailPresets.nodes).toEqual([{ name: 'PII only' }]);
    expect((await call(viewerA, LIST, { f: { search: '_' } })).body.data.guardrailPresets.nodes).toEqual([]);

    const other = await call(adminB, LIST, {});
    expect(other.body.data.guardrailPresets.nodes).toEqual([{ name: 'Strict' }]);
  });

  it('resolves entity references through one batched query, within the tenant', async () => {
    const all = await call(viewerA, `{ guardrailPresets { nodes { id } } }`);
    const mine = all.body.data.guardrailPresets.nodes.map((n: any) => n.id);
    expect(mine).toHaveLength(3);
    statements.length = 0;
    const r = await call(viewerA, ENTITIES, { r: mine.map((id: string) => ({ __typename: 'GuardrailPreset', id })) });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data._entities.map((p: any) => p.id)).toEqual(mine);
    expect(statements.filter((s) => s.includes('guardrail_preset'))).toHaveLength(1);

    const foreign = await call(adminB, ENTITIES, { r: [{ __typename: 'GuardrailPreset', id: strictId }] });
    // another tenant's id resolves to null, like an unknown one (one rule for every entity reference)
    expect(foreign.body.errors).toBeUndefined();
    expect(foreign.body.data._entities).toEqual([null]);
    // a super admin acting on no account sees every account's presets
    const platform = await call(platformAdmin, ENTITIES, { r: [{ __typename: 'GuardrailPreset', id: strictId }] });
    expect(platform.body.data._entities).toEqual([{ id: strictId, name: 'strict' }]);
  });

  it('soft-deletes a preset: gone from reads, name free again, second delete NOT_FOUND', async () => {
    const r = await call(adminA, DELETE, { id: strictId });
    expect(r.body).toEqual({ data: { deleteGuardrailPreset: true } });
    expect((await call(viewerA, GET, { id: strictId })).body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await call(adminA, DELETE, { id: strictId })).body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await call(adminA, UPDATE, { id: strictId, i: { severity: 'LOW' } })).body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await call(viewerA, LIST, {})).body.data.guardrailPresets.totalCount).toBe(2);
    const again = await call(adminA, CREATE, { i: { name: 'STRICT' } });
    expect(again.body.errors).toBeUndefined();
    const [row] = await server.orm.em
      .getConnection()
      .execute(`select deleted_at, version from guardrails.guardrail_preset where id = ?`, [strictId]);
    expect(row.deleted_at).not.toBeNull();
    expect(row.version).toBe(4);
  });

  it('wrote an outbox row on the account chain for every write', async () => {
    const events = await outbox();
    // the relay cannot reach observability here, so the events wait in the outbox
    const ofStrict = events.filter((e) => e.body.subject.id === strictId);
    expect(ofStrict.map((e) => [e.body.type, e.body.payload.version])).toEqual([
      ['guardrail_preset.created', 1],
      ['guardrail_preset.updated', 2],
      ['guardrail_preset.updated', 3],
      ['guardrail_preset.deleted', 4],
    ]);
    expect(ofStrict.every((e) => e.account_id === accountA && e.body.accountId === accountA)).toBe(true);
    expect(ofStrict[1].body.payload).toMatchObject({
      before: { severity: 'HIGH' },
      after: { severity: 'CRITICAL', config: { blockedTerms: ['password'] } },
    });
    expect(events.filter((e) => e.account_id === accountB).map((e) => e.body.type)).toEqual(['guardrail_preset.created']);
    expect(events.map((e) => e.body.type).filter((t) => t === 'guardrail_preset.created')).toHaveLength(5);
  });
});
