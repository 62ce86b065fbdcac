import { parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import {
  ConfigError,
  countRepresentations,
  DEFAULT_ENTITIES_CAP,
  generateInternalKeys,
  principal,
  startTestSubgraph,
  subgraphConfigFromEnv,
  uuidv7,
  type TestSubgraph,
} from '@cockpit/kit';
import { createGuardrailsSubgraph } from '@cockpit/guardrails';

/**
 * `_entities` is capped in every subgraph (the kit's server): a caller holding a valid internal
 * token cannot make one request resolve 10,000 representations. Refused before any SQL.
 */
describe('the _entities cap (issue 18)', () => {
  let t: TestSubgraph;
  const accountId = uuidv7();
  const admin = principal({ accountId, roles: ['ADMIN'] });
  let presetId: string;

  beforeAll(async () => {
    t = await startTestSubgraph(createGuardrailsSubgraph);
    const r = await t.call(admin, `mutation { createGuardrailPreset(input: { name: "Strict", severity: HIGH }) { id } }`);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    presetId = r.data.createGuardrailPreset.id;
  });
  afterAll(() => t?.close());

  const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on GuardrailPreset { id name } } }`;
  const reps = (n: number, type = 'GuardrailPreset') => Array.from({ length: n }, () => ({ __typename: type, id: uuidv7() }));
  /** The statements the subgraph sent that read or write its data (not the outbox relay's own polling). */
  const dataStatements = (sql: string[]) => sql.filter((s) => !/outbox/i.test(s));

  it('refuses 10,000 representations with INVALID_REQUEST and the limit, without a statement to the database', async () => {
    let r: Awaited<ReturnType<typeof fetchSigned>> | undefined;
    const sql = await t.statements(async () => {
      r = await fetchSigned(ENTITIES, { r: reps(10_000) });
    });
    expect(r!.status).toBe(400);
    const err = r!.body.errors[0];
    expect(err.extensions.code).toBe('INVALID_REQUEST');
    expect(err.extensions.details).toEqual({ representations: 'at most 5000 per request', limit: '5000', count: '10000' });
    expect(err.message).toMatch(/10000.*5000/);
    expect(r!.body.data).toBeUndefined();
    expect(dataStatements(sql)).toEqual([]);
  });

  it('counts every _entities selection of the operation: aliases of 2,000 and 3,100 are 5,100', async () => {
    const q = `query($a: [_Any!]!, $b: [_Any!]!) { a: _entities(representations: $a) { __typename } b: _entities(representations: $b) { __typename } }`;
    const sql = await t.statements(async () => {
      const r = await fetchSigned(q, { a: reps(2_000, 'GuardrailPreset'), b: reps(3_100, 'Account') });
      expect(r.status).toBe(400);
      expect(r.body.errors[0].extensions.details).toMatchObject({ limit: '5000', count: '5100' });
    });
    expect(dataStatements(sql)).toEqual([]);
  });

  it('caps one type at 2,500 per request, naming the type', async () => {
    const sql = await t.statements(async () => {
      const r = await fetchSigned(ENTITIES, { r: [...reps(2_501), ...reps(10, 'Account')] });
      expect(r.status).toBe(400);
      expect(r.body.errors[0].extensions).toMatchObject({
        code: 'INVALID_REQUEST',
        details: { representations: 'at most 2500 of one type per request', type: 'GuardrailPreset', limit: '2500', count: '2501' },
      });
    });
    expect(dataStatements(sql)).toEqual([]);
  });

  it('serves a normal batch, and one at the limits, as before', async () => {
    let small: any;
    const sql = await t.statements(async () => {
      small = await t.call(admin, ENTITIES, { r: [{ __typename: 'GuardrailPreset', id: presetId }, ...reps(99)] });
    });
    expect(small.errors).toBeUndefined();
    expect(dataStatements(sql).some((s) => s.includes('guardrail_preset'))).toBe(true); // the recorder sees what runs
    expect(small.data._entities[0]).toEqual({ id: presetId, name: 'Strict' });
    expect(small.data._entities.slice(1).every((e: unknown) => e === null)).toBe(true);
    // at the cap of one type exactly the request runs
    const full = await fetchSigned(ENTITIES, { r: [{ __typename: 'GuardrailPreset', id: presetId }, ...reps(2_499)] });
    expect(full.status).toBe(200);
    expect(full.body.data._entities).toHaveLength(2_500);
    expect(full.body.data._entities[0]).toEqual({ id: presetId, name: 'Strict' });
  });

  it('counts literal lists, fragments and typename-less representations', () => {
    const doc = parse(`
      query { _entities(representations: [{ __typename: "A", id: "1" }, { __typename: "B" }, { id: "x" }]) { ...F } ...R }
      fragment R on Query { again: _entities(representations: $v) { __typename } ... on Query { _entities(representations: { __typename: "A" }) { __typename } } }
      fragment F on _Entity { __typename }`);
    const op = doc.definitions[0] as OperationDefinitionNode;
    const fragments = Object.fromEntries(
      doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition').map((d) => [d.name.value, d]),
    );
    const { total, byType } = countRepresentations(op.selectionSet, fragments, { v: [{ __typename: 'B' }, 'junk'] });
    expect(total).toBe(6);
    expect(Object.fromEntries(byType)).toEqual({ A: 2, B: 2, '?': 2 });
  });

  it('reads COCKPIT_ENTITIES_MAX and COCKPIT_ENTITIES_MAX_PER_TYPE once, refusing a bad value', () => {
    const k = generateInternalKeys();
    const env = {
      DATABASE_URL: 'postgres://x@127.0.0.1/x',
      COCKPIT_GATEWAY_PUBLIC_KEY: k.publicKeyPem,
      COCKPIT_SERVICE_KEY: k.privateKeyPem,
    };
    Object.assign(env, { COCKPIT_CATALOG_PUBLIC_KEY: k.publicKeyPem }); // guardrails trusts catalog's calls
    expect(subgraphConfigFromEnv('guardrails', env).config.entitiesCap).toEqual(DEFAULT_ENTITIES_CAP);
    expect(
      subgraphConfigFromEnv('guardrails', { ...env, COCKPIT_ENTITIES_MAX: '200', COCKPIT_ENTITIES_MAX_PER_TYPE: '50' }).config.entitiesCap,
    ).toEqual({ maxRepresentations: 200, maxPerType: 50 });
    expect(() => subgraphConfigFromEnv('guardrails', { ...env, COCKPIT_ENTITIES_MAX: '0' })).toThrow(ConfigError);
  });

  /** POSTs to the subgraph's /graphql with a gateway-signed token, answering status and body. */
  async function fetchSigned(query: string, variables: Record<string, unknown>) {
    return t.route('/graphql', admin, { query, variables });
  }
});
