import { ALLOCATE, budgetAccount, NODE, type BudgetAccount } from '../support/budgets';
import { codeOf, eventually, ok, startTestStack, type TestStack } from '../support/stack';

/** BU1 reads and writes by role, BU2 allocations with the unallocated remainder of every node, through the gateway. */
describe('budget plan and allocations (BU1, BU2)', () => {
  let s: TestStack;
  let a: BudgetAccount;
  let other: BudgetAccount;
  let org: string, team: string, team2: string, alice: string, bob: string;

  beforeAll(async () => {
    s = await startTestStack();
    a = await budgetAccount(s, { monthlyCredits: '1000', overflowLimit: '100', creditFactor: '1.25' });
    other = await budgetAccount(s, { monthlyCredits: '50' });
    org = await a.org('Engineering');
    team = await a.team(org, 'Platform');
    team2 = await a.team(org, 'Apps');
    alice = await a.user(`alice@${a.id.slice(0, 8)}.example`, [team, team2]);
    bob = await a.user(`bob@${a.id.slice(0, 8)}.example`, [team]);
  }, 180_000);
  afterAll(() => s?.close());

  const allocate = (i: Record<string, unknown>, as: { token: string; accountId?: string } = a.as) => s.gql(ALLOCATE, { i }, as);
  const node = async (t: string, id: string) => ok(await s.gql(NODE, { t, id }, a.as)).budgetNode;

  it('lets account admins read the plan and answers FORBIDDEN when they write it (BU1)', async () => {
    for (const role of ['OWNER', 'ADMIN', 'VIEWER']) {
      const token = await s.tokenFor(role, a.id);
      const plan = ok(await s.gql(`{ budgetPlan { monthlyCredits overflowLimit creditFactor cycle } }`, {}, { token }));
      expect(plan.budgetPlan).toEqual({ monthlyCredits: '1000', overflowLimit: '100', creditFactor: '1.25', cycle: 'MONTHLY' });
      const w = await s.gql(`mutation { setBudgetPlan(input: { monthlyCredits: "5" }) { accountId } }`, {}, { token });
      expect(codeOf(w)).toBe('FORBIDDEN');
    }
  });

  it('refuses negative and over-precise plan amounts, naming each field (BU1)', async () => {
    const r = await s.gql(
      `mutation { setBudgetPlan(input: { monthlyCredits: "-1", overflowLimit: "0.00001", creditFactor: "1.0000001" }) { accountId } }`,
      {},
      other.as,
    );
    expect(codeOf(r)).toBe('VALIDATION_ERROR');
    expect(r.body.errors?.[0].extensions.details).toEqual({
      monthlyCredits: 'must not be negative',
      overflowLimit: 'must have at most 4 decimal places',
      creditFactor: 'must have at most 6 decimal places',
    });
  });

  it('starts with the whole pool unallocated, and shows every remainder as allocations are made', async () => {
    expect(await node('ACCOUNT', a.id)).toEqual({
      scopeType: 'ACCOUNT',
      scopeId: a.id,
      allocated: '1000',
      unallocated: '1000',
      used: '0',
      remaining: '1100',
    });
    expect(ok(await allocate({ scopeType: 'ORG', scopeId: org, amount: '600.5' })).allocateCredits).toMatchObject({
      allocated: '600.5',
      unallocated: '600.5',
    });
    ok(await allocate({ scopeType: 'TEAM', scopeId: team, amount: '200.25' }));
    ok(await allocate({ scopeType: 'USER', scopeId: bob, amount: '50' }));
    expect(await node('ACCOUNT', a.id)).toMatchObject({ unallocated: '399.5' });
    expect(await node('ORG', org)).toMatchObject({ allocated: '600.5', unallocated: '400.25' });
    expect(await node('TEAM', team)).toMatchObject({ allocated: '200.25', unallocated: '150.25' });
    expect(await node('USER', bob)).toMatchObject({ allocated: '50', unallocated: '50', remaining: '50' });
    // a node without an allocation is tracked but has nothing of its own to remain
    expect(await node('TEAM', team2)).toMatchObject({ allocated: null, unallocated: null, remaining: null, used: '0' });
    // one audit event per allocation, naming the node and the change
    const audit = await eventually(async () => {
      const r = ok(
        await s.gql(`{ auditLog(first: 100, filter: { types: ["budget.allocation.set"] }) { nodes { subjectId payload } } }`, {}, a.as),
      );
      return r.auditLog.nodes.length >= 3 ? r.auditLog.nodes : undefined;
    });
    expect(audit.map((n: any) => n.subjectId).sort()).toEqual([org, team, bob].sort());
    expect(audit.find((n: any) => n.subjectId === team).payload).toMatchObject({
      scopeType: 'TEAM',
      before: null,
      after: '200.25',
      orgId: org,
    });
  });

  it('refuses an allocation that makes a node’s children exceed it, naming the node, the request and the shortfall', async () => {
    const r = await allocate({ scopeType: 'USER', scopeId: alice, amount: '151', teamId: team });
    expect(codeOf(r)).toBe('VALIDATION_ERROR');
    expect(r.body.errors?.[0].extensions.details).toMatchObject({
      scopeType: 'TEAM',
      scopeId: team,
      requested: '151',
      available: '150.25',
      shortfall: '0.75',
    });
    // under the other team (not allocated) alice sits under the org, which has room
    ok(await allocate({ scopeType: 'USER', scopeId: alice, amount: '151', teamId: team2 }));
    expect(await node('ORG', org)).toMatchObject({ unallocated: '249.25' });
    // the account's pool bounds the orgs
    const big = await allocate({ scopeType: 'ORG', scopeId: await a.org('Sales'), amount: '400' });
    expect(r.body.errors?.[0].message).toMatch(/TEAM/);
    expect(big.body.errors?.[0].extensions).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { scopeType: 'ACCOUNT', scopeId: a.id, requested: '400', shortfall: '0.5' },
    });
    // lowering a node below what is allocated beneath it is refused too, naming that node
    const low = await allocate({ scopeType: 'TEAM', scopeId: team, amount: '10' });
    expect(low.body.errors?.[0].extensions).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { scopeType: 'TEAM', scopeId: team, requested: '10', shortfall: '40' },
    });
  });

  it('refuses negative and over-precise amounts', async () => {
    for (const [amount, problem] of [
      ['-5', 'must not be negative'],
      ['1.00001', 'must have at most 4 decimal places'],
    ]) {
      const r = await allocate({ scopeType: 'TEAM', scopeId: team, amount });
      expect(codeOf(r)).toBe('VALIDATION_ERROR');
      expect(r.body.errors?.[0].extensions.details).toEqual({ amount: problem });
    }
  });

  it('answers NOT_FOUND for an unknown, malformed or another account’s node, and refuses a Console node or a team not the user’s', async () => {
    const foreignTeam = await other.team(await other.org('Theirs'), 'T');
    for (const [scopeType, scopeId] of [
      ['TEAM', foreignTeam],
      ['USER', '0193f000-0000-7000-8000-00000000dead'],
      ['ORG', 'not-an-id'],
    ])
      expect(codeOf(await allocate({ scopeType, scopeId, amount: '1' }))).toBe('NOT_FOUND');
    expect(codeOf(await s.gql(NODE, { t: 'TEAM', id: foreignTeam }, a.as))).toBe('NOT_FOUND');
    expect(codeOf(await s.gql(NODE, { t: 'ACCOUNT', id: other.id }, a.as))).toBe('NOT_FOUND');
    const consoleOrg = await a.org('Gateway', 'CONSOLE');
    const c = await allocate({ scopeType: 'ORG', scopeId: consoleOrg, amount: '1' });
    expect(codeOf(c)).toBe('VALIDATION_ERROR');
    expect(c.body.errors?.[0].extensions.details).toEqual({ scopeId: expect.stringMatching(/CONSOLE/) });
    const notHers = await allocate({ scopeType: 'USER', scopeId: bob, amount: '1', teamId: team2 });
    expect(codeOf(notHers)).toBe('VALIDATION_ERROR');
    expect(notHers.body.errors?.[0].extensions.details).toEqual({ teamId: "is not one of the user's teams" });
  });

  it('lets admins allocate and viewers read, and answers FORBIDDEN below ADMIN and for runtime callers', async () => {
    const admin = await s.tokenFor('ADMIN', a.id);
    ok(await allocate({ scopeType: 'USER', scopeId: bob, amount: '40' }, { token: admin }));
    const viewer = await s.tokenFor('VIEWER', a.id);
    expect(ok(await s.gql(NODE, { t: 'USER', id: bob }, { token: viewer })).budgetNode.allocated).toBe('40');
    for (const role of ['OPERATOR', 'VIEWER', 'END_USER'])
      expect(codeOf(await allocate({ scopeType: 'USER', scopeId: bob, amount: '1' }, { token: await s.tokenFor(role, a.id) }))).toBe(
        'FORBIDDEN',
      );
  });

  it('shares a node equally with the remainder to the first children in id order, and keeps overrides (BU3)', async () => {
    const b = await budgetAccount(s, { monthlyCredits: '1000' });
    const o = await b.org('Ops');
    const t = await b.team(o, 'On-call');
    const users: string[] = [];
    for (const name of ['u1', 'u2', 'u3']) users.push(await b.user(`${name}@${b.id.slice(0, 8)}.example`, [t]));
    const ids = [...users].sort();
    ok(await s.gql(ALLOCATE, { i: { scopeType: 'ORG', scopeId: o, amount: '500' } }, b.as));
    ok(await s.gql(ALLOCATE, { i: { scopeType: 'TEAM', scopeId: t, amount: '100' } }, b.as));
    const DISTRIBUTE = `mutation($i: DistributeCreditsInput!) { distributeCreditsEqually(input: $i) { scopeId allocated } }`;
    const shares = ok(await s.gql(DISTRIBUTE, { i: { scopeType: 'TEAM', scopeId: t } }, b.as)).distributeCreditsEqually;
    expect(shares).toEqual([
      { scopeId: ids[0], allocated: '33.3334' },
      { scopeId: ids[1], allocated: '33.3333' },
      { scopeId: ids[2], allocated: '33.3333' },
    ]);
    expect(ok(await s.gql(NODE, { t: 'TEAM', id: t }, b.as)).budgetNode.unallocated).toBe('0');
    // an override survives the next distribution; the others share what is left
    const OVERRIDE = `mutation($i: SetAllocationOverrideInput!) { setAllocationOverride(input: $i) { allocated } }`;
    expect(codeOf(await s.gql(OVERRIDE, { i: { userId: ids[1], amount: '50' } }, b.as))).toBe('VALIDATION_ERROR'); // 33.3334 + 50 + 33.3333 > 100
    ok(await s.gql(ALLOCATE, { i: { scopeType: 'TEAM', scopeId: t, amount: '200' } }, b.as));
    ok(await s.gql(OVERRIDE, { i: { userId: ids[1], amount: '50' } }, b.as));
    const again = ok(await s.gql(DISTRIBUTE, { i: { scopeType: 'TEAM', scopeId: t } }, b.as)).distributeCreditsEqually;
    expect(again).toEqual([
      { scopeId: ids[0], allocated: '75' },
      { scopeId: ids[1], allocated: '50' },
      { scopeId: ids[2], allocated: '75' },
    ]);
    // the account's pool shared by its Copilot orgs (its default org `global` and Ops); a Console org takes no share
    await b.org('Gateway', 'CONSOLE');
    const orgs = ok(await s.gql(DISTRIBUTE, { i: { scopeType: 'ACCOUNT', scopeId: b.id } }, b.as)).distributeCreditsEqually;
    expect(orgs.map((x: any) => x.allocated)).toEqual(['500', '500']);
    // a node with nothing to share, another account's node, a role below ADMIN
    const empty = await b.team(o, 'Empty');
    expect(codeOf(await s.gql(DISTRIBUTE, { i: { scopeType: 'TEAM', scopeId: empty } }, b.as))).toBe('VALIDATION_ERROR');
    expect(codeOf(await s.gql(DISTRIBUTE, { i: { scopeType: 'TEAM', scopeId: team } }, b.as))).toBe('NOT_FOUND');
    expect(codeOf(await s.gql(DISTRIBUTE, { i: { scopeType: 'TEAM', scopeId: t } }, { token: await s.tokenFor('VIEWER', b.id) }))).toBe(
      'FORBIDDEN',
    );
    const events = await eventually(async () => {
      const r = ok(
        await s.gql(`{ auditLog(filter: { types: ["budget.allocation.distributed"] }) { nodes { subjectId payload } } }`, {}, b.as),
      );
      return r.auditLog.nodes.length >= 3 ? r.auditLog.nodes : undefined;
    });
    expect(events.find((e: any) => e.payload.overrides.length === 1).payload).toMatchObject({
      share: '75',
      overrides: [ids[1]],
      remainderTo: [],
    });
  });

  it('removes an explicit allocation: the node falls back to its chain and the parent’s remainder grows back', async () => {
    const c = await budgetAccount(s, { monthlyCredits: '100' });
    const o = await c.org('Ops');
    const tm = await c.team(o, 'Core');
    const u = await c.user(`carol@${c.id.slice(0, 8)}.example`, [tm]);
    const REMOVE = `mutation($i: RemoveAllocationInput!) { removeAllocation(input: $i) { scopeType scopeId allocated remaining } }`;
    const EFF = `query($u: ID!) { effectiveAllocation(userId: $u) { source { scopeType scopeId } chain { scopeType explicit } } }`;
    ok(await s.gql(ALLOCATE, { i: { scopeType: 'TEAM', scopeId: tm, amount: '30' } }, c.as));
    ok(await s.gql(ALLOCATE, { i: { scopeType: 'USER', scopeId: u, amount: '10' } }, c.as));
    expect(ok(await s.gql(NODE, { t: 'TEAM', id: tm }, c.as)).budgetNode).toMatchObject({ unallocated: '20' });
    for (const role of ['OPERATOR', 'VIEWER', 'END_USER'])
      expect(codeOf(await s.gql(REMOVE, { i: { scopeType: 'USER', scopeId: u } }, { token: await s.tokenFor(role, c.id) }))).toBe(
        'FORBIDDEN',
      );
    expect(codeOf(await s.gql(REMOVE, { i: { scopeType: 'USER', scopeId: u } }, a.as))).toBe('NOT_FOUND');
    expect(ok(await s.gql(REMOVE, { i: { scopeType: 'USER', scopeId: u } }, c.as)).removeAllocation).toMatchObject({
      scopeId: u,
      allocated: null,
      remaining: null,
    });
    expect(ok(await s.gql(NODE, { t: 'TEAM', id: tm }, c.as)).budgetNode).toMatchObject({ unallocated: '30' });
    const eff = ok(await s.gql(EFF, { u }, c.as)).effectiveAllocation;
    expect(eff.source).toEqual({ scopeType: 'TEAM', scopeId: tm });
    expect(eff.chain.map((l: any) => [l.scopeType, l.explicit])).toEqual([
      ['USER', false],
      ['TEAM', true],
      ['ORG', false],
      ['ACCOUNT', true],
    ]);
    // a node with no explicit allocation left: NOT_FOUND
    expect(codeOf(await s.gql(REMOVE, { i: { scopeType: 'USER', scopeId: u } }, c.as))).toBe('NOT_FOUND');
    ok(await s.gql(REMOVE, { i: { scopeType: 'TEAM', scopeId: tm } }, c.as));
    expect(ok(await s.gql(NODE, { t: 'ACCOUNT', id: c.id }, c.as)).budgetNode).toMatchObject({ unallocated: '100' });
    expect(ok(await s.gql(EFF, { u }, c.as)).effectiveAllocation.source).toEqual({ scopeType: 'ACCOUNT', scopeId: c.id });
    const audit = await eventually(async () => {
      const r = ok(
        await s.gql(`{ auditLog(first: 10, filter: { types: ["budget.allocation.removed"] }) { nodes { subjectId payload } } }`, {}, c.as),
      );
      return r.auditLog.nodes.length >= 2 ? r.auditLog.nodes : undefined;
    });
    expect(audit.find((n: any) => n.subjectId === u).payload).toMatchObject({ scopeType: 'USER', before: '10', after: null });
  });
});
