import { presetsExist } from '@cockpit/contracts';
import {
  INTERNAL_TOKEN_HEADER,
  principal,
  servicePrincipal,
  signInternalToken,
  startTestSubgraph,
  testKeys,
  uuidv7,
  type TestSubgraph,
} from '@cockpit/kit';
import { createGuardrailsSubgraph } from '../src';

/** `/internal/guardrails/presets/exist`: catalog's check of an agent's presets, callable by catalog alone, confined to one account. */
describe('guardrails: which presets exist, for catalog', () => {
  const catalog = testKeys();
  const budgets = testKeys();
  let t: TestSubgraph;
  beforeAll(async () => {
    t = await startTestSubgraph(createGuardrailsSubgraph, { serviceKeys: { catalog: catalog.publicKey, budgets: budgets.publicKey } });
  });
  afterAll(() => t?.close());

  const ask = async (body: unknown, as = 'catalog', key = catalog.privateKey) => {
    const res = await fetch(t.url.replace(/\/graphql$/, presetsExist.path), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [INTERNAL_TOKEN_HEADER]: await signInternalToken(key, 'guardrails', servicePrincipal(as), as),
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const create = async (accountId: string, name: string) => {
    const r = await t.call(
      principal({ accountId, roles: ['ADMIN'] }),
      `mutation($n: String!) { createGuardrailPreset(input: { name: $n }) { id } }`,
      { n: name },
    );
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data.createGuardrailPreset.id as string;
  };

  it('answers the live presets of the account only: unknown, deleted and other accounts’ ids are absent', async () => {
    const a = uuidv7();
    const b = uuidv7();
    const [p1, p2, gone, foreign] = [await create(a, 'one'), await create(a, 'two'), await create(a, 'gone'), await create(b, 'one')];
    const del = await t.call(principal({ accountId: a, roles: ['ADMIN'] }), `mutation($id: ID!) { deleteGuardrailPreset(id: $id) }`, {
      id: gone,
    });
    expect(del.errors).toBeUndefined();
    const r = await ask({ accountId: a, presetIds: [p1, p2.toUpperCase(), gone, foreign, uuidv7()] });
    expect(r.status).toBe(200);
    expect([...r.body.existing].sort()).toEqual([p1, p2].sort());
    expect(presetsExist.answer(r.body).ok).toBe(true);
  });

  it('refuses malformed requests and every caller but catalog', async () => {
    expect((await ask({ accountId: 'nope', presetIds: [] })).body).toMatchObject({
      code: 'INVALID_REQUEST',
      details: { accountId: expect.any(String) },
    });
    expect((await ask({ accountId: uuidv7(), presetIds: ['x'] })).body.details).toHaveProperty('presetIds');
    expect((await ask({ accountId: uuidv7(), presetIds: [] }, 'budgets', budgets.privateKey)).status).toBe(403);
  });
});
