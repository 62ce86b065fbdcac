import { callSubgraph, principal, startTestSubgraph, type TestSubgraph } from '@cockpit/kit';
import { createBudgetsSubgraph } from '../src';

describe('budgets subgraph: plan (BU1)', () => {
  let t: TestSubgraph;
  const accountA = '0193f000-0000-7000-8000-00000000000a';
  const accountB = '0193f000-0000-7000-8000-00000000000b';
  const superA = principal({ superAdmin: true, accountId: accountA, roles: ['SUPER_ADMIN'] });

  beforeAll(async () => {
    t = await startTestSubgraph(createBudgetsSubgraph);
  });
  afterAll(() => t?.close());

  const SET = `mutation($i: SetBudgetPlanInput!) { setBudgetPlan(input: $i) { accountId monthlyCredits overflowLimit creditFactor cycle } }`;

  it('refuses a call without the internal token', async () => {
    const r = await callSubgraph(t.url, 'budgets', null, superA, '{ _service { sdl } }');
    expect(r.status).toBe(401);
  });

  it('refuses a token minted for another subgraph', async () => {
    const r = await callSubgraph(t.url, 'identity', t.keys.privateKey, superA, '{ budgetPlan { accountId } }');
    expect(r.status).toBe(401);
  });

  it('lets a super admin set a plan and reads it back exactly', async () => {
    const r = await t.call(superA, SET, {
      i: { monthlyCredits: '10000', overflowLimit: '2000.5', creditFactor: '1.25' },
    });
    expect(r.errors).toBeUndefined();
    expect(r.data.setBudgetPlan).toEqual({
      accountId: accountA,
      monthlyCredits: '10000',
      overflowLimit: '2000.5',
      creditFactor: '1.25',
      cycle: 'MONTHLY',
    });
  });

  it('takes concurrent first writes of a plan without a conflict, auditing one creation', async () => {
    const account = '0193f000-0000-7000-8000-0000000000cc';
    const who = principal({ superAdmin: true, accountId: account, roles: ['SUPER_ADMIN'] });
    const credits = Array.from({ length: 24 }, (_, i) => String(100 * (i + 1)));
    const results = await Promise.all(
      credits.map((c) => t.call(who, SET, { i: { monthlyCredits: c, overflowLimit: '0', creditFactor: '1' } })),
    );
    expect(results.map((r) => r.errors)).toEqual(credits.map(() => undefined));
    const bodies = (await t.outbox()).filter((e) => e.accountId === account);
    expect(bodies).toHaveLength(credits.length);
    // exactly one write found no plan; every other one saw the plan the previous one left
    expect(bodies.filter((b: any) => b.payload.before === null)).toHaveLength(1);
    const final = await t.call(who, `{ budgetPlan { monthlyCredits } }`);
    expect(credits).toContain(final.data.budgetPlan.monthlyCredits);
  });

  it('waits for a competing first write instead of failing on it', async () => {
    const account = '0193f000-0000-7000-8000-0000000000cd';
    const who = principal({ superAdmin: true, accountId: account, roles: ['SUPER_ADMIN'] });
    // another writer has inserted the account's plan and not committed yet
    const competitor = await t.server.orm.em.getKnex().transaction();
    await competitor.raw(
      `insert into budgets.budget_plan (account_id, monthly_credits, overflow_limit, credit_factor, cycle, cycle_anchor, created_at, updated_at)
       values (?, 1, 0, 1, 'MONTHLY', now(), now(), now())`,
      [account],
    );
    const pending = t.call(who, SET, {
      i: { monthlyCredits: '7', overflowLimit: '0', creditFactor: '1' },
    });
    await new Promise((r) => setTimeout(r, 300));
    await competitor.commit();
    const r = await pending;
    expect(r.errors).toBeUndefined();
    expect(r.data.setBudgetPlan.monthlyCredits).toBe('7');
    const [event] = (await t.outbox()).filter((e) => e.accountId === account);
    expect(Number((event.payload.before as { monthlyCredits: string }).monthlyCredits)).toBe(1);
  });

  it('answers VALIDATION_ERROR with field details', async () => {
    const r = await t.call(superA, SET, {
      i: { monthlyCredits: '-1', overflowLimit: '0', creditFactor: '0' },
    });
    expect(r.errors?.[0].extensions).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { monthlyCredits: expect.any(String), creditFactor: expect.any(String) },
    });
    expect(r.errors?.[0].extensions.requestId).toBe(superA.requestId);
  });

  it('forbids an account owner from setting the plan', async () => {
    const owner = principal({ accountId: accountA, roles: ['OWNER'] });
    const r = await t.call(owner, SET, { i: { monthlyCredits: '1' } });
    expect(r.errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it("resolves another account's reference to null, so its plan is never reached", async () => {
    const viewerB = principal({ accountId: accountB, roles: ['VIEWER'] });
    const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Account { budgetPlan { monthlyCredits } } } }`;
    const r = await t.call(viewerB, q, {
      r: [
        { __typename: 'Account', id: accountA },
        { __typename: 'Account', id: 'not-a-uuid' },
      ],
    });
    expect(r.errors).toBeUndefined();
    expect(r.data._entities).toEqual([null, null]);
    // its own account still resolves
    const own = await t.call(viewerB, q, { r: [{ __typename: 'Account', id: accountB }] });
    expect(own.errors).toBeUndefined();
    expect(own.data._entities[0]).toHaveProperty('budgetPlan');
  });

  it('does not commit a write that records no audit event, or more than it declares', async () => {
    const account = '0193f000-0000-7000-8000-0000000000ee';
    const ctx = t.server.contextFor(principal({ superAdmin: true, accountId: account, roles: ['SUPER_ADMIN'] }));
    const insert = (em: any) =>
      em.execute(
        `insert into budgets.budget_plan (account_id, monthly_credits, overflow_limit, credit_factor, cycle, cycle_anchor, created_at, updated_at)
         values (?, 1, 0, 1, 'MONTHLY', now(), now(), now())`,
        [account],
      );
    await expect(ctx.write(({ em }) => insert(em))).rejects.toThrow(/recorded 0 audit event\(s\); its declaration states 1/);
    const event = { type: 'budget.plan.set', subject: { type: 'BudgetPlan', id: account } } as const;
    await expect(
      ctx.write(async ({ em, audit }) => {
        await insert(em);
        await audit(event);
        await audit(event);
      }),
    ).rejects.toThrow(/recorded 2 audit event\(s\)/);
    // an event the catalogue does not describe is refused at run time, and each line marked below does not compile (AuditEvents)
    await expect(
      // @ts-expect-error: an event type no catalogue declares
      ctx.write(({ audit }) => audit({ type: 'budget.plan.gone' })),
    ).rejects.toThrow(/not in the subgraph's event catalogue/);
    await expect(
      ctx.write(({ audit }) =>
        // @ts-expect-error: another subject type than the catalogue's
        audit({ type: 'budget.plan.set', subject: { type: 'Account', id: account } }),
      ),
    ).rejects.toThrow(/has subject Account; its catalogue says BudgetPlan/);
    await expect(
      ctx.write(({ audit }) =>
        audit({
          ...event,
          // @ts-expect-error: a payload field budget.plan.set does not declare
          payload: { after: {}, secret: 'x' },
        }),
      ),
    ).rejects.toThrow(/carries undeclared payload fields: secret/);
    const atRest = await t.sql(`select count(*)::int as n from budgets.budget_plan where account_id = ?`, [account]);
    expect(atRest[0].n).toBe(0);
    expect((await t.outbox()).filter((e) => e.accountId === account)).toHaveLength(0);
  });

  it('wrote an outbox row in the same transaction', async () => {
    // the relay cannot reach observability here, so the event waits in the outbox
    expect((await t.outbox()).map((e) => e.type)).toContain('budget.plan.set');
  });
});
