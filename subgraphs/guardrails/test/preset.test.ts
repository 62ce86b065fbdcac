import { callSubgraph, freshDatabase, principal, testKeys, testLogger, uuidv7, type BuiltSubgraph } from '@cockpit/kit';
import { createGuardrailsSubgraph } from '../src';

describe('guardrails subgraph: presets (GP1)', () => {
  const keys = testKeys();
  let db: { url: string; close(): Promise<void> };
  let server: BuiltSubgraph;
  let url: string;
  // every SQL statement the ORM sends, so a test can count the loader's queries
  const statements: string[] = [];
  /** Every test builds its own account(s): no test depends on another's rows or ids. */
  const newAccount = () => {
    const accountId = uuidv7();
    return {
      accountId,
      admin: principal({ accountId, roles: ['ADMIN'] }),
      viewer: principal({ accountId, roles: ['VIEWER'] }),
    };
  };
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

  /** The "Strict" preset at version 1 in a new account. */
  async function strictPreset() {
    const a = newAccount();
    const r = await call(a.admin, CREATE, { i: { name: 'Strict', description: 'Blocks secrets', config: strict, severity: 'HIGH' } });
    if (r.body.errors) throw new Error(JSON.stringify(r.body.errors));
    return { ...a, id: r.body.data.createGuardrailPreset.id as string, created: r.body.data.createGuardrailPreset };
  }

  it('lets an account admin create a preset at version 1', async () => {
    const { accountId, viewer, id, created } = await strictPreset();
    expect(created).toMatchObject({
      accountId,
      name: 'Strict',
      description: 'Blocks secrets',
      config: strict,
      severity: 'HIGH',
      version: 1,
    });
    const read = await call(viewer, GET, { id });
    expect(read.body.data.guardrailPreset).toEqual(created);
  });

  it('defaults the config to {} and the severity to MEDIUM', async () => {
    const r = await call(newAccount().admin, CREATE, { i: { name: 'Lenient' } });
    expect(r.body.data.createGuardrailPreset).toMatchObject({ config: {}, severity: 'MEDIUM', description: '', version: 1 });
  });

  it('answers VALIDATION_ERROR with field details', async () => {
    const { admin, id } = await strictPreset();
    const r = await call(admin, CREATE, {
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
    expect(r.body.errors[0].extensions.requestId).toBe(admin.requestId);
    for (const config of [['a'], 'strict', 42, null]) {
      const bad = await call(admin, UPDATE, { id, i: { config } });
      expect(bad.body.errors[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { config: expect.any(String) } });
    }
  });

  it('answers CONFLICT for a duplicate name in the same account, ignoring case', async () => {
    const { admin, id } = await strictPreset();
    await call(admin, CREATE, { i: { name: 'Lenient' } });
    const r = await call(admin, CREATE, { i: { name: 'sTRICT' } });
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'CONFLICT', details: { name: expect.any(String) } });
    const rename = await call(admin, UPDATE, { id, i: { name: 'LENIENT' } });
    expect(rename.body.errors[0].extensions.code).toBe('CONFLICT');
  });

  it('lets another account use the same name', async () => {
    await strictPreset();
    const b = newAccount();
    const r = await call(b.admin, CREATE, { i: { name: 'Strict', config: { piiRedaction: false } } });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.createGuardrailPreset.accountId).toBe(b.accountId);
  });

  it('updates the given fields, bumps the version and replaces the config whole', async () => {
    const { admin, id } = await strictPreset();
    const r = await call(admin, UPDATE, { id, i: { config: { blockedTerms: ['password'] }, severity: 'CRITICAL' }, v: 1 });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.updateGuardrailPreset).toMatchObject({
      name: 'Strict',
      description: 'Blocks secrets',
      config: { blockedTerms: ['password'] },
      severity: 'CRITICAL',
      version: 2,
    });
    const read = await call(admin, GET, { id });
    expect(read.body.data.guardrailPreset.config).toEqual({ blockedTerms: ['password'] });
  });

  it('answers CONFLICT for a stale expectedVersion and leaves the preset alone', async () => {
    const { admin, id } = await strictPreset();
    await call(admin, UPDATE, { id, i: { severity: 'CRITICAL' }, v: 1 });
    const r = await call(admin, UPDATE, { id, i: { severity: 'LOW' }, v: 1 });
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'CONFLICT', details: { expectedVersion: expect.stringContaining('2') } });
    const read = await call(admin, GET, { id });
    expect(read.body.data.guardrailPreset).toMatchObject({ severity: 'CRITICAL', version: 2 });
    const ok = await call(admin, UPDATE, { id, i: { description: 'Blocks passwords', name: 'strict' }, v: 2 });
    expect(ok.body.data.updateGuardrailPreset).toMatchObject({ name: 'strict', description: 'Blocks passwords', version: 3 });
  });

  it('does not version or audit an update that changes nothing', async () => {
    const { admin, id } = await strictPreset();
    const before = (await outbox()).filter((e) => e.body.subject.id === id).length;
    const r = await call(admin, UPDATE, { id, i: { severity: 'HIGH', config: strict } });
    expect(r.body.data.updateGuardrailPreset.version).toBe(1);
    expect((await outbox()).filter((e) => e.body.subject.id === id)).toHaveLength(before);
  });

  it("answers NOT_FOUND for another account's preset, for reads and writes alike", async () => {
    const { admin, id } = await strictPreset();
    const other = newAccount().admin;
    for (const [q, v] of [
      [GET, { id }],
      [UPDATE, { id, i: { severity: 'LOW' } }],
      [DELETE, { id }],
      [GET, { id: 'not-a-uuid' }],
      [UPDATE, { id: '0193f000-0000-7000-8000-0000000000ff', i: { severity: 'LOW' } }],
    ] as const) {
      const r = await call(other, q, v);
      expect(r.body.errors[0].extensions.code).toBe('NOT_FOUND');
    }
    const read = await call(admin, GET, { id });
    expect(read.body.data.guardrailPreset.severity).toBe('HIGH');
  });

  it('forbids a viewer from writing', async () => {
    const { viewer, id } = await strictPreset();
    for (const [q, v] of [
      [CREATE, { i: { name: 'Viewer made' } }],
      [UPDATE, { id, i: { severity: 'LOW' } }],
      [DELETE, { id }],
    ] as const) {
      const r = await call(viewer, q, v);
      expect(r.body.errors[0].extensions.code).toBe('FORBIDDEN');
    }
  });

  it('lists the account’s presets with severity and search filters, pages and a total count', async () => {
    const { admin, viewer, id } = await strictPreset();
    await call(admin, UPDATE, { id, i: { name: 'strict', description: 'Blocks passwords', config: { blockedTerms: ['password'] } } });
    await call(admin, CREATE, { i: { name: 'Lenient' } });
    await call(admin, CREATE, {
      i: { name: 'PII only', description: 'Redacts 100% of PII', config: { piiRedaction: true }, severity: 'HIGH' },
    });
    const all = await call(viewer, LIST, {});
    expect(all.body.data.guardrailPresets).toMatchObject({
      totalCount: 3,
      nodes: [{ name: 'strict' }, { name: 'Lenient' }, { name: 'PII only' }],
    });

    const page1 = await call(viewer, LIST, { first: 2 });
    expect(page1.body.data.guardrailPresets.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const page2 = await call(viewer, LIST, { first: 2, after: page1.body.data.guardrailPresets.pageInfo.endCursor });
    expect(page2.body.data.guardrailPresets).toMatchObject({
      nodes: [{ name: 'PII only' }],
      pageInfo: { hasNextPage: false, hasPreviousPage: true },
    });

    const high = await call(viewer, LIST, { f: { severity: 'HIGH' } });
    expect(high.body.data.guardrailPresets).toMatchObject({ totalCount: 2, nodes: [{ name: 'strict' }, { name: 'PII only' }] });
    const search = await call(viewer, LIST, { f: { search: 'PASSWORD' } });
    expect(search.body.data.guardrailPresets.nodes).toEqual([{ name: 'strict' }]);
    // LIKE wildcards are literal: "0%" matches "100%" only, "_" matches nothing here
    expect((await call(viewer, LIST, { f: { search: '0%' } })).body.data.guardrailPresets.nodes).toEqual([{ name: 'PII only' }]);
    expect((await call(viewer, LIST, { f: { search: '_' } })).body.data.guardrailPresets.nodes).toEqual([]);

    const b = newAccount();
    await call(b.admin, CREATE, { i: { name: 'Strict' } });
    expect((await call(b.admin, LIST, {})).body.data.guardrailPresets.nodes).toEqual([{ name: 'Strict' }]);
  });

  it('resolves entity references through one batched query, within the tenant', async () => {
    const { admin, viewer, id } = await strictPreset();
    await call(admin, CREATE, { i: { name: 'Lenient' } });
    await call(admin, CREATE, { i: { name: 'PII only' } });
    const all = await call(viewer, `{ guardrailPresets { nodes { id } } }`);
    const mine = all.body.data.guardrailPresets.nodes.map((n: any) => n.id);
    expect(mine).toHaveLength(3);
    statements.length = 0;
    const r = await call(viewer, ENTITIES, { r: mine.map((x: string) => ({ __typename: 'GuardrailPreset', id: x })) });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data._entities.map((p: any) => p.id)).toEqual(mine);
    expect(statements.filter((s) => s.includes('guardrail_preset'))).toHaveLength(1);

    const foreign = await call(newAccount().admin, ENTITIES, { r: [{ __typename: 'GuardrailPreset', id }] });
    // another tenant's id resolves to null, like an unknown one (one rule for every entity reference)
    expect(foreign.body.errors).toBeUndefined();
    expect(foreign.body.data._entities).toEqual([null]);
    // a super admin acting on no account sees every account's presets
    const platform = await call(platformAdmin, ENTITIES, { r: [{ __typename: 'GuardrailPreset', id }] });
    expect(platform.body.data._entities).toEqual([{ id, name: 'Strict' }]);
  });

  it('soft-deletes a preset: gone from reads, name free again, second delete NOT_FOUND', async () => {
    const { admin, viewer, id } = await strictPreset();
    await call(admin, CREATE, { i: { name: 'Lenient' } });
    const r = await call(admin, DELETE, { id });
    expect(r.body).toEqual({ data: { deleteGuardrailPreset: true } });
    expect((await call(viewer, GET, { id })).body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await call(admin, DELETE, { id })).body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await call(admin, UPDATE, { id, i: { severity: 'LOW' } })).body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await call(viewer, LIST, {})).body.data.guardrailPresets.totalCount).toBe(1);
    const again = await call(admin, CREATE, { i: { name: 'STRICT' } });
    expect(again.body.errors).toBeUndefined();
    const [row] = await server.orm.em
      .getConnection()
      .execute(`select deleted_at, version from guardrails.guardrail_preset where id = ?`, [id]);
    expect(row.deleted_at).not.toBeNull();
    expect(row.version).toBe(2);
  });

  it('writes one outbox row on the account chain for every write', async () => {
    const { accountId, admin, id } = await strictPreset();
    await call(admin, UPDATE, { id, i: { config: { blockedTerms: ['password'] }, severity: 'CRITICAL' } });
    await call(admin, UPDATE, { id, i: { name: 'strict' } });
    await call(admin, DELETE, { id });
    const events = (await outbox()).filter((e) => e.account_id === accountId);
    // the relay cannot reach observability here, so the events wait in the outbox
    expect(events.map((e) => [e.body.type, e.body.subject.id, e.body.payload.version])).toEqual([
      ['guardrail_preset.created', id, 1],
      ['guardrail_preset.updated', id, 2],
      ['guardrail_preset.updated', id, 3],
      ['guardrail_preset.deleted', id, 4],
    ]);
    expect(events.every((e) => e.body.accountId === accountId)).toBe(true);
    expect(events[1].body.payload).toMatchObject({
      before: { severity: 'HIGH' },
      after: { severity: 'CRITICAL', config: { blockedTerms: ['password'] } },
    });
  });
});
