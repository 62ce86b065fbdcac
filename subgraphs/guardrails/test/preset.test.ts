import { principal, startTestSubgraph, uuidv7, type TestSubgraph } from '@cockpit/kit';
import { createGuardrailsSubgraph } from '../src';

describe('guardrails subgraph: presets (GP1)', () => {
  let t: TestSubgraph;
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
    t = await startTestSubgraph(createGuardrailsSubgraph);
  });
  afterAll(() => t?.close());

  const FIELDS = 'id accountId name description config severity version';
  const CREATE = `mutation($i: CreateGuardrailPresetInput!) { createGuardrailPreset(input: $i) { ${FIELDS} } }`;
  const UPDATE = `mutation($id: ID!, $i: UpdateGuardrailPresetInput!, $v: Int) { updateGuardrailPreset(id: $id, input: $i, expectedVersion: $v) { ${FIELDS} } }`;
  const DELETE = `mutation($id: ID!) { deleteGuardrailPreset(id: $id) }`;
  const GET = `query($id: ID!) { guardrailPreset(id: $id) { ${FIELDS} } }`;
  const LIST = `query($first: Int, $after: String, $f: GuardrailPresetFilter) { guardrailPresets(first: $first, after: $after, filter: $f) { totalCount nodes { name } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
  const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on GuardrailPreset { id name } } }`;
  const call = (who: ReturnType<typeof principal>, q: string, v?: Record<string, unknown>) => t.call(who, q, v);
  const outbox = () => t.outbox();
  const strict = { blockedTerms: ['password', 'ssn'], piiRedaction: true };

  /** The "Strict" preset at version 1 in a new account. */
  async function strictPreset() {
    const a = newAccount();
    const r = await call(a.admin, CREATE, { i: { name: 'Strict', description: 'Blocks secrets', config: strict, severity: 'HIGH' } });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return { ...a, id: r.data.createGuardrailPreset.id as string, created: r.data.createGuardrailPreset };
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
    expect(read.data.guardrailPreset).toEqual(created);
  });

  it('defaults the config to {} and the severity to MEDIUM', async () => {
    const r = await call(newAccount().admin, CREATE, { i: { name: 'Lenient' } });
    expect(r.data.createGuardrailPreset).toMatchObject({ config: {}, severity: 'MEDIUM', description: '', version: 1 });
  });

  it('answers VALIDATION_ERROR with field details', async () => {
    const { admin, id } = await strictPreset();
    const r = await call(admin, CREATE, {
      i: { name: '  ', description: 'x'.repeat(2001), config: { blockedTerms: ['ok', 3], piiRedaction: 'yes' } },
    });
    expect(r.data).toBeNull();
    expect(r.errors?.[0].extensions).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: {
        name: expect.any(String),
        description: expect.any(String),
        'config.blockedTerms': expect.any(String),
        'config.piiRedaction': expect.any(String),
      },
    });
    expect(r.errors?.[0].extensions.requestId).toBe(admin.requestId);
    for (const config of [['a'], 'strict', 42, null]) {
      const bad = await call(admin, UPDATE, { id, i: { config } });
      expect(bad.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { config: expect.any(String) } });
    }
  });

  it('answers CONFLICT for a duplicate name in the same account, ignoring case', async () => {
    const { admin, id } = await strictPreset();
    await call(admin, CREATE, { i: { name: 'Lenient' } });
    const r = await call(admin, CREATE, { i: { name: 'sTRICT' } });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', details: { name: expect.any(String) } });
    const rename = await call(admin, UPDATE, { id, i: { name: 'LENIENT' } });
    expect(rename.errors?.[0].extensions.code).toBe('CONFLICT');
  });

  it('lets another account use the same name', async () => {
    await strictPreset();
    const b = newAccount();
    const r = await call(b.admin, CREATE, { i: { name: 'Strict', config: { piiRedaction: false } } });
    expect(r.errors).toBeUndefined();
    expect(r.data.createGuardrailPreset.accountId).toBe(b.accountId);
  });

  it('updates the given fields, bumps the version and replaces the config whole', async () => {
    const { admin, id } = await strictPreset();
    const r = await call(admin, UPDATE, { id, i: { config: { blockedTerms: ['password'] }, severity: 'CRITICAL' }, v: 1 });
    expect(r.errors).toBeUndefined();
    expect(r.data.updateGuardrailPreset).toMatchObject({
      name: 'Strict',
      description: 'Blocks secrets',
      config: { blockedTerms: ['password'] },
      severity: 'CRITICAL',
      version: 2,
    });
    const read = await call(admin, GET, { id });
    expect(read.data.guardrailPreset.config).toEqual({ blockedTerms: ['password'] });
  });

  it('answers CONFLICT for a stale expectedVersion and leaves the preset alone', async () => {
    const { admin, id } = await strictPreset();
    await call(admin, UPDATE, { id, i: { severity: 'CRITICAL' }, v: 1 });
    const r = await call(admin, UPDATE, { id, i: { severity: 'LOW' }, v: 1 });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', details: { expectedVersion: expect.stringContaining('2') } });
    const read = await call(admin, GET, { id });
    expect(read.data.guardrailPreset).toMatchObject({ severity: 'CRITICAL', version: 2 });
    const ok = await call(admin, UPDATE, { id, i: { description: 'Blocks passwords', name: 'strict' }, v: 2 });
    expect(ok.data.updateGuardrailPreset).toMatchObject({ name: 'strict', description: 'Blocks passwords', version: 3 });
  });

  it('does not version or audit an update that changes nothing', async () => {
    const { admin, id } = await strictPreset();
    const before = (await outbox()).filter((e) => e.subject?.id === id).length;
    const r = await call(admin, UPDATE, { id, i: { severity: 'HIGH', config: strict } });
    expect(r.data.updateGuardrailPreset.version).toBe(1);
    expect((await outbox()).filter((e) => e.subject?.id === id)).toHaveLength(before);
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
      expect(r.errors?.[0].extensions.code).toBe('NOT_FOUND');
    }
    const read = await call(admin, GET, { id });
    expect(read.data.guardrailPreset.severity).toBe('HIGH');
  });

  it('forbids a viewer from writing', async () => {
    const { viewer, id } = await strictPreset();
    for (const [q, v] of [
      [CREATE, { i: { name: 'Viewer made' } }],
      [UPDATE, { id, i: { severity: 'LOW' } }],
      [DELETE, { id }],
    ] as const) {
      const r = await call(viewer, q, v);
      expect(r.errors?.[0].extensions.code).toBe('FORBIDDEN');
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
    expect(all.data.guardrailPresets).toMatchObject({
      totalCount: 3,
      nodes: [{ name: 'strict' }, { name: 'Lenient' }, { name: 'PII only' }],
    });

    const page1 = await call(viewer, LIST, { first: 2 });
    expect(page1.data.guardrailPresets.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const page2 = await call(viewer, LIST, { first: 2, after: page1.data.guardrailPresets.pageInfo.endCursor });
    expect(page2.data.guardrailPresets).toMatchObject({
      nodes: [{ name: 'PII only' }],
      pageInfo: { hasNextPage: false, hasPreviousPage: true },
    });

    const high = await call(viewer, LIST, { f: { severity: 'HIGH' } });
    expect(high.data.guardrailPresets).toMatchObject({ totalCount: 2, nodes: [{ name: 'strict' }, { name: 'PII only' }] });
    const search = await call(viewer, LIST, { f: { search: 'PASSWORD' } });
    expect(search.data.guardrailPresets.nodes).toEqual([{ name: 'strict' }]);
    // LIKE wildcards are literal: "0%" matches "100%" only, "_" matches nothing here
    expect((await call(viewer, LIST, { f: { search: '0%' } })).data.guardrailPresets.nodes).toEqual([{ name: 'PII only' }]);
    expect((await call(viewer, LIST, { f: { search: '_' } })).data.guardrailPresets.nodes).toEqual([]);

    const b = newAccount();
    await call(b.admin, CREATE, { i: { name: 'Strict' } });
    expect((await call(b.admin, LIST, {})).data.guardrailPresets.nodes).toEqual([{ name: 'Strict' }]);
  });

  it('resolves entity references through one batched query, within the tenant', async () => {
    const { admin, viewer, id } = await strictPreset();
    await call(admin, CREATE, { i: { name: 'Lenient' } });
    await call(admin, CREATE, { i: { name: 'PII only' } });
    const all = await call(viewer, `{ guardrailPresets { nodes { id } } }`);
    const mine = all.data.guardrailPresets.nodes.map((n: any) => n.id);
    expect(mine).toHaveLength(3);
    let r: Awaited<ReturnType<typeof call>> = {};
    const statements = await t.statements(async () => {
      r = await call(viewer, ENTITIES, { r: mine.map((x: string) => ({ __typename: 'GuardrailPreset', id: x })) });
    });
    expect(r.errors).toBeUndefined();
    expect(r.data._entities.map((p: any) => p.id)).toEqual(mine);
    expect(statements.filter((s) => s.includes('guardrail_preset'))).toHaveLength(1);

    const foreign = await call(newAccount().admin, ENTITIES, { r: [{ __typename: 'GuardrailPreset', id }] });
    // another tenant's id resolves to null, like an unknown one (one rule for every entity reference)
    expect(foreign.errors).toBeUndefined();
    expect(foreign.data._entities).toEqual([null]);
    // a super admin acting on no account sees every account's presets
    const platform = await call(platformAdmin, ENTITIES, { r: [{ __typename: 'GuardrailPreset', id }] });
    expect(platform.data._entities).toEqual([{ id, name: 'Strict' }]);
  });

  it('soft-deletes a preset: gone from reads, name free again, second delete NOT_FOUND', async () => {
    const { admin, viewer, id } = await strictPreset();
    await call(admin, CREATE, { i: { name: 'Lenient' } });
    const r = await call(admin, DELETE, { id });
    expect(r).toEqual({ data: { deleteGuardrailPreset: true } });
    expect((await call(viewer, GET, { id })).errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect((await call(admin, DELETE, { id })).errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect((await call(admin, UPDATE, { id, i: { severity: 'LOW' } })).errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect((await call(viewer, LIST, {})).data.guardrailPresets.totalCount).toBe(1);
    const again = await call(admin, CREATE, { i: { name: 'STRICT' } });
    expect(again.errors).toBeUndefined();
    const [row] = await t.sql(`select deleted_at, version from guardrails.guardrail_preset where id = ?`, [id]);
    expect(row.deleted_at).not.toBeNull();
    expect(row.version).toBe(2);
  });

  it('writes one outbox row on the account chain for every write', async () => {
    const { accountId, admin, id } = await strictPreset();
    await call(admin, UPDATE, { id, i: { config: { blockedTerms: ['password'] }, severity: 'CRITICAL' } });
    await call(admin, UPDATE, { id, i: { name: 'strict' } });
    await call(admin, DELETE, { id });
    const events = (await outbox()).filter((e) => e.accountId === accountId);
    // the relay cannot reach observability here, so the events wait in the outbox
    expect(events.map((e) => [e.type, e.subject?.id, e.payload.version])).toEqual([
      ['guardrail_preset.created', id, 1],
      ['guardrail_preset.updated', id, 2],
      ['guardrail_preset.updated', id, 3],
      ['guardrail_preset.deleted', id, 4],
    ]);
    // the rows sit under the account (the outbox's RLS column), not only their bodies
    const rows = await t.sql(`select distinct account_id from guardrails.outbox where id in (?)`, [events.map((e) => e.id)]);
    expect(rows).toEqual([{ account_id: accountId }]);
    expect(events[1].payload).toMatchObject({
      before: { severity: 'HIGH' },
      after: { severity: 'CRITICAL', config: { blockedTerms: ['password'] } },
    });
  });
});
