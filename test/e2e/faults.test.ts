import { ok, startTestStack, type TestStack } from '../support/stack';

/** What clients see when a part of the system fails. */
describe('faults behind the gateway', () => {
  let s: TestStack;
  let account: string;
  beforeAll(async () => {
    s = await startTestStack();
    account = ok(
      await s.gql(
        `mutation { createAccount(input: { name: "Faulty", emailDomain: "faulty.example", planTier: FREE }) { id } }`,
        {},
        { token: s.masterKey },
      ),
    ).createAccount.id;
  });
  afterAll(() => s.close());

  it('masks an unexpected subgraph failure: no SQL, no stack, no internal message', async () => {
    // break the guardrails schema behind the service's back
    await s.subgraphs.guardrails.orm.em.getConnection().execute(`alter table guardrails.guardrail_preset rename to guardrail_preset_gone`);
    try {
      const r = await s.gql(`{ guardrailPresets { totalCount } }`, {}, { token: s.masterKey, accountId: account });
      expect(r.body.errors).toEqual([
        expect.objectContaining({
          message: 'Internal error',
          extensions: { code: 'INTERNAL_ERROR', requestId: r.headers.get('x-request-id') },
        }),
      ]);
      expect(JSON.stringify(r.body)).not.toMatch(/guardrail_preset|relation|select|stack|at /i);
    } finally {
      await s.subgraphs.guardrails.orm.em
        .getConnection()
        .execute(`alter table guardrails.guardrail_preset_gone rename to guardrail_preset`);
    }
  });

  it('answers with partial data and an UPSTREAM_ERROR on each missing field when a subgraph is down', async () => {
    for (const name of ['First', 'Second'])
      ok(
        await s.gql(
          `mutation { createOrg(input: { name: "${name}", domain: COPILOT }) { id } }`,
          {},
          { token: s.masterKey, accountId: account },
        ),
      );
    await s.subgraphs.budgets.close();
    const r = await s.gql(`{ account { name budgetPlan { monthlyCredits } } }`, {}, { token: s.masterKey, accountId: account });
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ account: { name: 'Faulty', budgetPlan: null } });
    // the error says which field is missing and why, nothing of the address
    expect(r.body.errors).toEqual([
      {
        message: 'The budgets service is unavailable',
        path: ['account', 'budgetPlan'],
        extensions: { code: 'UPSTREAM_ERROR', requestId: r.headers.get('x-request-id') },
      },
    ]);

    // a list: each entity's missing field has its own path; identity's fields are all there
    const orgs = await s.gql(
      `{ account { orgs(domain: COPILOT) { nodes { name budget { used } } } } }`,
      {},
      { token: s.masterKey, accountId: account },
    );
    expect(orgs.body.data.account.orgs.nodes).toEqual([
      { name: 'global', budget: null }, // every account's default org
      { name: 'First', budget: null },
      { name: 'Second', budget: null },
    ]);
    expect(orgs.body.errors?.map((e) => (e as { path?: unknown }).path)).toEqual([
      ['account', 'orgs', 'nodes', 0, 'budget'],
      ['account', 'orgs', 'nodes', 1, 'budget'],
      ['account', 'orgs', 'nodes', 2, 'budget'],
    ]);
  });
});
