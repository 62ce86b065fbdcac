import { ALLOCATE, budgetAccount, type BudgetAccount } from '../support/budgets';
import { codeOf, eventually, ok, startTestStack, type TestStack } from '../support/stack';

const RECORD = `mutation($i: RecordUsageInput!) { recordUsage(input: $i) { replayed record { credits cycleStart } } }`;
const NODE_AT = `query($t: BudgetScopeType!, $id: ID!, $c: DateTime) {
  budgetNode(scopeType: $t, scopeId: $id, cycle: $c) { scopeType scopeId allocated unallocated used remaining cycleStart } }`;
const CYCLES = `query($first: Int, $after: String) { budgetCycles(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } nodes { start end cycle current limit used remaining } } }`;
const ALERTS = `query($f: BudgetAlertFilter, $first: Int) { budgetAlerts(filter: $f, first: $first) {
  totalCount nodes { id scopeType scopeId threshold limit used cycleStart } } }`;
const SET_PLAN = `mutation($i: SetBudgetPlanInput!) { setBudgetPlan(input: $i) { cycle cycleAnchor } }`;

const DAY = 86_400_000;

/**
 * BU7 cycles and BU9 threshold alerts through the gateway, on PGlite or PostgreSQL. The stack's clock is the test's
 * (`startTestStack({ now })`): crossing a cycle boundary is moving it — no API input can reach a past cycle.
 */
describe('budget cycles and threshold alerts (BU7, BU9)', () => {
  let s: TestStack;
  let clock = new Date('2031-01-15T12:00:00.000Z');
  const anchor = clock.toISOString();
  const advance = (ms: number) => (clock = new Date(clock.getTime() + ms));

  beforeAll(async () => {
    s = await startTestStack({ now: () => clock });
  }, 180_000);
  afterAll(() => s?.close());

  const record = (a: BudgetAccount, key: string, cost: string, userId?: string) =>
    s.gql(RECORD, { i: { idempotencyKey: key, model: 'gpt-x', cost, userId } }, a.as);
  const node = async (a: BudgetAccount, t: string, id: string, c?: string) => ok(await s.gql(NODE_AT, { t, id, c }, a.as)).budgetNode;
  const cycles = async (a: BudgetAccount, first?: number, after?: string) => ok(await s.gql(CYCLES, { first, after }, a.as)).budgetCycles;
  const alerts = async (a: BudgetAccount, f?: Record<string, unknown>) => ok(await s.gql(ALERTS, { f, first: 100 }, a.as)).budgetAlerts;

  it('rolls balances over at the cycle boundary and keeps past cycles with their totals (BU7)', async () => {
    clock = new Date(anchor);
    const a = await budgetAccount(s, { monthlyCredits: '100', overflowLimit: '0.5' });
    const org = await a.org('Research');
    const team = await a.team(org, 'Models');
    const alice = await a.user(`alice@${a.id.slice(0, 8)}.example`, [team]);
    ok(await s.gql(ALLOCATE, { i: { scopeType: 'USER', scopeId: alice, amount: '10' } }, a.as));

    // cycle 1: 6.0001 of alice's 10; another 4.5 would not fit
    expect(ok(await record(a, 'c1-1', '6.0001', alice)).recordUsage.record.cycleStart).toBe(anchor);
    expect(codeOf(await record(a, 'c1-2', '4.5', alice))).toBe('FORBIDDEN');

    advance(31 * DAY + 1); // past 2031-02-15T12:00Z
    const second = '2031-02-15T12:00:00.000Z';
    const r = ok(await record(a, 'c2-1', '8.25', alice)).recordUsage.record;
    expect(r).toMatchObject({ cycleStart: second, credits: '8.25' }); // a fresh balance: the full 10 again
    expect(await node(a, 'USER', alice)).toMatchObject({ used: '8.25', remaining: '1.75', allocated: '10', cycleStart: second });

    // cycle 1 is unchanged and queryable, for the node and the account
    expect(await node(a, 'USER', alice, anchor)).toMatchObject({
      used: '6.0001',
      allocated: '10',
      remaining: '3.9999',
      unallocated: null,
      cycleStart: anchor,
    });
    expect(await node(a, 'TEAM', team, anchor)).toMatchObject({ used: '6.0001', allocated: null, remaining: null });
    const list = await cycles(a);
    expect(list.totalCount).toBe(2);
    expect(list.nodes).toEqual([
      { start: second, end: '2031-03-15T12:00:00.000Z', cycle: 'MONTHLY', current: true, limit: '100.5', used: '8.25', remaining: '92.25' },
      { start: anchor, end: second, cycle: 'MONTHLY', current: false, limit: '100.5', used: '6.0001', remaining: '94.4999' },
    ]);
    // paged like every list
    const p1 = await cycles(a, 1);
    expect(p1.nodes.map((c: any) => c.start)).toEqual([second]);
    expect(p1.pageInfo.hasNextPage).toBe(true);
    const p2 = await cycles(a, 1, p1.pageInfo.endCursor);
    expect(p2.nodes.map((c: any) => c.start)).toEqual([anchor]);
    expect(p2.pageInfo.hasNextPage).toBe(false);
    expect(codeOf(await s.gql(CYCLES, { after: 'bm90LWEtY3Vyc29y' }, a.as))).toBe('INVALID_REQUEST');
    // a time that starts no cycle of the account is not a cycle
    const bad = await s.gql(NODE_AT, { t: 'USER', id: alice, c: '2031-01-20T00:00:00.000Z' }, a.as);
    expect(codeOf(bad)).toBe('VALIDATION_ERROR');
    expect(bad.body.errors![0].extensions.details).toHaveProperty('cycle');

    // MONTHLY → QUARTERLY: the current cycle keeps its start and usage and now ends a quarter after it
    const plan = { monthlyCredits: '100', overflowLimit: '0.5' };
    expect(ok(await s.gql(SET_PLAN, { i: { ...plan, cycle: 'QUARTERLY' } }, a.as)).setBudgetPlan).toEqual({
      cycle: 'QUARTERLY',
      cycleAnchor: second,
    });
    advance(30 * DAY); // 2031-03-17: a new cycle under MONTHLY, the same one under QUARTERLY
    ok(await record(a, 'c2-2', '1', alice));
    expect(await node(a, 'USER', alice)).toMatchObject({ used: '9.25', cycleStart: second });
    expect((await cycles(a)).nodes[0]).toMatchObject({ start: second, end: '2031-05-15T12:00:00.000Z', cycle: 'QUARTERLY', current: true });

    // QUARTERLY → MONTHLY after a month has passed: the cycle ends at the change and the next starts then
    const change = clock.toISOString();
    expect(change).toBe('2031-03-17T12:00:00.001Z');
    ok(await s.gql(SET_PLAN, { i: { ...plan, cycle: 'MONTHLY' } }, a.as));
    expect(await node(a, 'USER', alice)).toMatchObject({ used: '0', remaining: '10', cycleStart: change });
    const after = await cycles(a);
    expect(after.nodes.map((c: any) => [c.start, c.end, c.current])).toEqual([
      [change, '2031-04-17T12:00:00.001Z', true],
      [second, change, false],
      [anchor, second, false],
    ]);
    expect(after.nodes[1]).toMatchObject({ used: '9.25' });
  });

  it('creates a new cycle once on its first debits: 20 concurrent first writes start from zero, the past cycle keeps its totals', async () => {
    clock = new Date(anchor);
    const a = await budgetAccount(s, { monthlyCredits: '200' });
    const org = await a.org('Roll');
    const team = await a.team(org, 'Over');
    const u = await a.user(`roll@${a.id.slice(0, 8)}.example`, [team]);
    ok(await s.gql(ALLOCATE, { i: { scopeType: 'USER', scopeId: u, amount: '40' } }, a.as));
    for (let i = 0; i < 3; i++) ok(await record(a, `old-${i}`, '10.0001', u)); // 30.0003 of 40 in cycle 1

    advance(31 * DAY + 1);
    const second = '2031-02-15T12:00:00.000Z';
    // nothing written in cycle 2 yet: it is listed (from the plan), its balances start at zero
    expect((await cycles(a)).nodes[0]).toMatchObject({ start: second, current: true, used: '0' });
    expect((await cycles(a)).totalCount).toBe(2);
    expect(await node(a, 'USER', u)).toMatchObject({ used: '0', remaining: '40', cycleStart: second });

    // 20 first debits of cycle 2 at once, 1.5 each: 30 fit the user's 40 only if the cycle starts from zero (30.0003 + 30 would not);
    // a write shed or timed out is retried with its key, as a runtime does
    const RETRY = new Set(['SERVICE_UNAVAILABLE', 'UPSTREAM_ERROR']);
    const write = async (i: number) => {
      for (let attempt = 0; ; attempt++) {
        const sent = record(a, `new-${i}`, '1.5', u);
        const r = attempt < 8 ? await sent.catch(() => null) : await sent;
        const code = r?.body.errors?.[0].extensions.code;
        if (r && (!code || !RETRY.has(code) || attempt === 8)) return r;
        await new Promise((done) => setTimeout(done, Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random())));
      }
    };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => write(i)));
    for (const r of results) expect(ok(r).recordUsage.record).toMatchObject({ cycleStart: second, credits: '1.5' });
    expect(await node(a, 'USER', u)).toMatchObject({ used: '30', remaining: '10', allocated: '40', cycleStart: second });
    expect(await node(a, 'TEAM', team)).toMatchObject({ used: '30', cycleStart: second });
    expect(await node(a, 'ACCOUNT', a.id)).toMatchObject({ used: '30', remaining: '170', cycleStart: second });

    // one row per cycle: cycle 2 once, beside cycle 1 with its totals unchanged
    const list = await cycles(a);
    expect(list.totalCount).toBe(2);
    expect(list.nodes).toEqual([
      { start: second, end: '2031-03-15T12:00:00.000Z', cycle: 'MONTHLY', current: true, limit: '200', used: '30', remaining: '170' },
      { start: anchor, end: second, cycle: 'MONTHLY', current: false, limit: '200', used: '30.0003', remaining: '169.9997' },
    ]);
    expect(await node(a, 'USER', u, anchor)).toMatchObject({ used: '30.0003', remaining: '9.9997', allocated: '40', cycleStart: anchor });
    expect(await node(a, 'USER', u, second)).toMatchObject({ used: '30', remaining: '10', cycleStart: second });
    // the breakdown of each cycle's window sums its own records
    const BD = `query($r: CostRangeInput!) { costBreakdown(range: $r, groupBy: []) { totals { credits count } } }`;
    const inCycle = async (from: string, to: string) => ok(await s.gql(BD, { r: { from, to } }, a.as)).costBreakdown.totals;
    expect(await inCycle(anchor, second)).toEqual({ credits: '30.0003', count: 3 });
    expect(await inCycle(second, '2031-03-15T12:00:00.000Z')).toEqual({ credits: '30', count: 20 });
  });

  it('lists the current cycle before anything is written in it', async () => {
    clock = new Date(anchor);
    const a = await budgetAccount(s, { monthlyCredits: '50' });
    advance(40 * DAY);
    const list = await cycles(a);
    expect(list.totalCount).toBe(2);
    expect(list.nodes[0]).toMatchObject({ start: '2031-02-15T12:00:00.000Z', current: true, limit: '50', used: '0', remaining: '50' });
    expect(list.nodes[1]).toMatchObject({ start: anchor, current: false, used: '0' });
  });

  it('alerts once at 80 % and once at 100 % of an allocation per cycle, in the audit log and the list (BU9)', async () => {
    clock = new Date(anchor);
    const a = await budgetAccount(s, { monthlyCredits: '1000' });
    const u = await a.user(`u@${a.id.slice(0, 8)}.example`);
    ok(await s.gql(ALLOCATE, { i: { scopeType: 'USER', scopeId: u, amount: '100' } }, a.as));

    ok(await record(a, 'a-1', '79.9999', u));
    expect((await alerts(a)).totalCount).toBe(0);
    ok(await record(a, 'a-2', '0.0001', u)); // exactly 80
    let list = await alerts(a);
    expect(list.nodes).toEqual([
      { id: expect.any(String), scopeType: 'USER', scopeId: u, threshold: 80, limit: '100', used: '80', cycleStart: anchor },
    ]);
    ok(await record(a, 'a-3', '5', u)); // still above 80: nothing new
    expect((await alerts(a)).totalCount).toBe(1);
    ok(await record(a, 'a-4', '15', u)); // 100
    list = await alerts(a);
    expect(list.nodes.map((n: any) => [n.scopeType, n.threshold, n.used])).toEqual([
      ['USER', 100, '100'],
      ['USER', 80, '80'],
    ]);
    expect((await alerts(a, { scopeType: 'ACCOUNT' })).totalCount).toBe(0); // 100 of 1000
    expect((await alerts(a, { scopeType: 'USER', cycleStart: anchor })).totalCount).toBe(2);

    // the audit log holds one event per alert, with the figures
    const log = await eventually(async () => {
      const l = ok(
        await s.gql(`{ auditLog(filter: { types: ["budget.threshold_crossed"] }) { nodes { subjectId payload } } }`, {}, a.as),
      ).auditLog;
      return l.nodes.length === 2 && l.nodes;
    });
    expect(log.map((e: any) => e.payload.threshold).sort()).toEqual([100, 80]);
    expect(log[0]).toMatchObject({ subjectId: u, payload: { scopeType: 'USER', limit: '100', cycleStart: anchor } });

    // a new cycle alerts again
    advance(31 * DAY + 1);
    ok(await record(a, 'a-5', '80', u));
    const fresh = await alerts(a, { cycleStart: '2031-02-15T12:00:00.000Z' });
    expect(fresh.nodes.map((n: any) => [n.threshold, n.used])).toEqual([[80, '80']]);
    expect((await alerts(a)).totalCount).toBe(3);
  });

  it('alerts the account against its monthly credits (overflow beyond 100 %)', async () => {
    clock = new Date(anchor);
    const a = await budgetAccount(s, { monthlyCredits: '10', overflowLimit: '5' });
    ok(await record(a, 'x-1', '10.5'));
    expect((await alerts(a)).nodes.map((n: any) => [n.scopeType, n.scopeId, n.threshold, n.limit, n.used])).toEqual([
      ['ACCOUNT', a.id, 100, '10', '10.5'],
      ['ACCOUNT', a.id, 80, '10', '10.5'],
    ]);
  });

  it('emits exactly one alert per threshold when 50 concurrent writers cross it', async () => {
    clock = new Date(anchor);
    const a = await budgetAccount(s, { monthlyCredits: '1000' });
    const org = await a.org('Load');
    const team = await a.team(org, 'Writers');
    const u = await a.user(`w@${a.id.slice(0, 8)}.example`, [team]);
    ok(await s.gql(ALLOCATE, { i: { scopeType: 'TEAM', scopeId: team, amount: '100' } }, a.as));
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => record(a, `w-${i}`, '2', u)));
    for (const r of results) ok(r);
    expect(await node(a, 'TEAM', team)).toMatchObject({ used: '100', remaining: '0' });
    const list = await alerts(a);
    expect(list.nodes.map((n: any) => [n.scopeType, n.threshold]).sort()).toEqual([
      ['TEAM', 100],
      ['TEAM', 80],
    ]);
    expect(list.nodes.find((n: any) => n.threshold === 80).used).toBe('80');
    const log = await eventually(async () => {
      const l = ok(await s.gql(`{ auditLog(filter: { types: ["budget.threshold_crossed"] }) { totalCount } }`, {}, a.as)).auditLog;
      return l.totalCount >= 2 && l;
    });
    expect(log.totalCount).toBe(2);
  });

  it("delivers one threshold event per threshold of a user's allocation to a live subscriber, none again that cycle", async () => {
    clock = new Date(anchor);
    const a = await budgetAccount(s, { monthlyCredits: '1000' });
    const org = await a.org('Live');
    const team = await a.team(org, 'Subscribers');
    const u = await a.user(`live@${a.id.slice(0, 8)}.example`, [team]);
    ok(await s.gql(ALLOCATE, { i: { scopeType: 'USER', scopeId: u, amount: '50' } }, a.as));
    const admin = await s.tokenFor('ADMIN', a.id);
    const got: any[] = [];
    const errors: unknown[] = [];
    const stop = s
      .wsClient(admin)
      .subscribe<{ events: any }>(
        { query: `subscription { events(types: ["budget.threshold_crossed", "budget.usage.recorded"]) { type subjectId payload } }` },
        { next: (r) => (r.data ? got.push(r.data.events) : errors.push(r.errors)), error: (e) => errors.push(e), complete: () => {} },
      );
    try {
      // the feed is live once a first event arrives through it
      let n = 0;
      await eventually(async () => {
        ok(await record(a, `probe-${n++}`, '0', u));
        return got.length > 0 || errors.length > 0;
      });
      expect(errors).toEqual([]);
      // every event up to a marker usage has arrived once the marker's usage event has (the feed is in order)
      const through = async (marker: string) => {
        const r = ok(await s.gql(RECORD, { i: { idempotencyKey: marker, model: marker, cost: '0', userId: u } }, a.as));
        expect(r.recordUsage.replayed).toBe(false);
        await eventually(async () => got.some((e) => e.type === 'budget.usage.recorded' && e.payload.model === marker));
        return got.filter((e) => e.type === 'budget.threshold_crossed');
      };

      ok(await record(a, 'l-1', '39.9999', u)); // below 80 % of 50
      expect(await through('mark-1')).toEqual([]);
      ok(await record(a, 'l-2', '0.0002', u)); // 40.0001: past 80 %
      const at80 = await through('mark-2');
      expect(at80).toEqual([
        {
          type: 'budget.threshold_crossed',
          subjectId: u,
          payload: expect.objectContaining({ scopeType: 'USER', threshold: 80, limit: '50', used: '40.0001', cycleStart: anchor }),
        },
      ]);
      ok(await record(a, 'l-3', '5', u)); // 45.0001: still between the thresholds
      expect(await through('mark-3')).toEqual(at80);
      ok(await record(a, 'l-4', '4.9999', u)); // exactly 50
      const both = await through('mark-4');
      expect(both).toHaveLength(2);
      expect(both[1]).toMatchObject({
        subjectId: u,
        payload: { scopeType: 'USER', threshold: 100, limit: '50', used: '50', cycleStart: anchor },
      });
      // the alert ids are the listed alerts'
      const listed = (await alerts(a)).nodes;
      expect(both.map((e) => e.payload.alertId).sort()).toEqual(listed.map((x: any) => x.id).sort());
      // at the limit: a further debit is refused and zero-cost usage still lands; neither alerts again
      expect(codeOf(await record(a, 'l-5', '0.0001', u))).toBe('FORBIDDEN');
      ok(await record(a, 'l-6', '0', u));
      ok(await s.gql(ALLOCATE, { i: { scopeType: 'USER', scopeId: u, amount: '60' } }, a.as)); // room again: 50 of 60
      ok(await record(a, 'l-7', '9', u)); // 59 of 60, past 80 % and below 100 % of the new limit, same cycle
      expect(await through('mark-5')).toEqual(both);
      expect((await alerts(a)).totalCount).toBe(2);
      // the account level (59 of 1000) crossed nothing
      expect(got.filter((e) => e.type === 'budget.threshold_crossed' && e.payload.scopeType !== 'USER')).toEqual([]);
    } finally {
      stop();
    }
  });

  it('delivers the alert event to a live subscriber', async () => {
    clock = new Date(anchor);
    const a = await budgetAccount(s, { monthlyCredits: '10' });
    const admin = await s.tokenFor('ADMIN', a.id);
    const got: any[] = [];
    const errors: unknown[] = [];
    const client = s.wsClient(admin);
    const stop = client.subscribe<{ events: any }>(
      { query: `subscription { events(types: ["budget.threshold_crossed", "budget.usage.recorded"]) { type subjectId payload } }` },
      { next: (r) => (r.data ? got.push(r.data.events) : errors.push(r.errors)), error: (e) => errors.push(e), complete: () => {} },
    );
    // the feed is live once a first event arrives through it
    let n = 0;
    await eventually(async () => {
      ok(await record(a, `live-probe-${n++}`, '0'));
      return got.length > 0 || errors.length > 0;
    });
    expect(errors).toEqual([]);
    ok(await record(a, 'live-1', '9'));
    const alert = await eventually(async () => got.find((e) => e.type === 'budget.threshold_crossed' && e.payload.threshold === 80));
    expect(alert).toMatchObject({ subjectId: a.id, payload: { scopeType: 'ACCOUNT', limit: '10', used: '9', cycleStart: anchor } });
    stop();
  });
});
