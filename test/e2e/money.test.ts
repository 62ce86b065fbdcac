import { codeOf, ok, startTestStack, type TestStack } from '../support/stack';

/**
 * Money is exact (issue 14, item 9): an amount is stored as given or refused
 * with VALIDATION_ERROR naming the field — never rounded to a different value
 * (a tiny monthlyCredits used to be stored as 0) and never an INTERNAL_ERROR
 * from the column (a tiny creditFactor used to break its > 0 check).
 */
describe('decimal amounts through the gateway', () => {
  let s: TestStack;
  let superToken: string;
  let account: string;
  const SET = `mutation($i: SetBudgetPlanInput!) { setBudgetPlan(input: $i) { monthlyCredits overflowLimit creditFactor } }`;
  const set = (i: Record<string, string>) => s.gql(SET, { i }, { token: superToken, accountId: account });

  beforeAll(async () => {
    s = await startTestStack();
    superToken = await s.tokenFor('SUPER_ADMIN');
    const a = ok(
      await s.gql(
        `mutation { createAccount(input: { name: "Money", emailDomain: "money.example", planTier: TEAM }) { id } }`,
        {},
        { token: superToken },
      ),
    );
    account = a.createAccount.id;
  }, 120_000);
  afterAll(() => s?.close());

  it('refuses a monthlyCredits finer than its column (4 places) instead of storing 0', async () => {
    const r = await set({ monthlyCredits: '0.00001' });
    expect(codeOf(r)).toBe('VALIDATION_ERROR');
    expect(r.body.errors?.[0].extensions?.details).toEqual({ monthlyCredits: 'must have at most 4 decimal places' });
    const plan = ok(await s.gql(`{ budgetPlan { monthlyCredits } }`, {}, { token: superToken, accountId: account }));
    expect(plan.budgetPlan).toBeNull();
  });

  it('refuses a creditFactor finer than its column (6 places) with VALIDATION_ERROR, not INTERNAL_ERROR', async () => {
    const r = await set({ monthlyCredits: '100', creditFactor: '0.0000001' });
    expect(codeOf(r)).toBe('VALIDATION_ERROR');
    expect(r.body.errors?.[0].extensions?.details).toEqual({ creditFactor: 'must have at most 6 decimal places' });
  });

  it('refuses amounts too large for their column, naming each field', async () => {
    const r = await set({ monthlyCredits: '12345678901234567', creditFactor: '1234567' });
    expect(codeOf(r)).toBe('VALIDATION_ERROR');
    expect(r.body.errors?.[0].extensions?.details).toEqual({
      monthlyCredits: 'must have at most 16 digits before the decimal point',
      creditFactor: 'must have at most 6 digits before the decimal point',
    });
  });

  it('stores the finest and largest amounts the columns hold, exactly', async () => {
    const r = ok(await set({ monthlyCredits: '9999999999999999.9999', overflowLimit: '0.0001', creditFactor: '0.000001' }));
    expect(r.setBudgetPlan).toEqual({ monthlyCredits: '9999999999999999.9999', overflowLimit: '0.0001', creditFactor: '0.000001' });
    // trailing zeros beyond the scale are the same value, not extra precision
    expect(ok(await set({ monthlyCredits: '10.50000', creditFactor: '1.2500000' })).setBudgetPlan).toMatchObject({
      monthlyCredits: '10.5',
      creditFactor: '1.25',
    });
  });
});
