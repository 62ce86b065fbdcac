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

  it('answers with partial data and an UPSTREAM_ERROR when a subgraph is down', async () => {
    await s.subgraphs.budgets.close();
    const r = await s.gql(`{ account { name budgetPlan { monthlyCredits } } }`, {}, { token: s.masterKey, accountId: account });
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ account: { name: 'Faulty', budgetPlan: null } });
    expect(r.body.errors?.[0]).toMatchObject({
      message: expect.not.stringMatching(/ECONNREFUSED|127\.0\.0\.1/),
      extensions: { code: 'UPSTREAM_ERROR' },
    });
  });
});
