import { budgetAccount, NODE, type BudgetAccount } from '../support/budgets';
import { codeOf, ok, startTestStack, type TestStack } from '../support/stack';

const RECORD = `mutation($i: RecordUsageInput!) { recordUsage(input: $i) { replayed record {
  id model inputTokens outputTokens cost credits createdAt price { modelId inputPricePerMtok outputPricePerMtok validFrom } } } }`;
const BATCH = `mutation($is: [RecordUsageInput!]!) { recordUsageBatch(inputs: $is) {
  replayed record { cost model price { modelId inputPricePerMtok outputPricePerMtok } } error { code message details } } }`;
const BREAKDOWN = `query($r: CostRangeInput!, $g: [CostGroupBy!]!, $f: CostBreakdownFilter) { costBreakdown(range: $r, groupBy: $g, filter: $f) {
  rows { orgId teamId userId model domain day cost credits inputTokens outputTokens count }
  totals { cost credits inputTokens outputTokens count } } }`;

/** Sums decimal strings exactly (8 decimals for costs, 14 for credits): the oracle the breakdown's totals must equal. */
function sum(values: string[], scale: number): string {
  const u = values.reduce((acc, v) => {
    const [i, f = ''] = v.split('.');
    return acc + BigInt(i + f.padEnd(scale, '0'));
  }, 0n);
  const d = u.toString().padStart(scale + 1, '0');
  const frac = d.slice(-scale).replace(/0+$/, '');
  return frac ? `${d.slice(0, -scale)}.${frac}` : d.slice(0, -scale);
}

/** BU5's cost from the catalog's price and BU8's cost breakdown, through the gateway on the real stack. */
describe('usage cost from the catalog price (BU5) and the cost breakdown (BU8)', () => {
  let s: TestStack;
  let a: BudgetAccount;
  let other: BudgetAccount;
  let org: string, team: string, alice: string, bob: string;
  let cheap: string, pricey: string, ineligible: string;
  const master = () => ({ token: s.masterKey });

  beforeAll(async () => {
    s = await startTestStack();
    a = await budgetAccount(s, { monthlyCredits: '1000000', creditFactor: '1.5' });
    other = await budgetAccount(s, { monthlyCredits: '10' });
    org = await a.org('Research');
    team = await a.team(org, 'Models');
    alice = await a.user(`alice@${a.id.slice(0, 8)}.example`, [team]);
    bob = await a.user(`bob@${a.id.slice(0, 8)}.example`);
    const provider = ok(await s.gql(`mutation { createProvider(input: { name: "openai-c", kind: OPENAI }) { id } }`, {}, master()))
      .createProvider.id;
    const model = async (name: string, input: string, output: string) =>
      ok(
        await s.gql(
          `mutation($p: ID!, $n: String!, $i: Decimal!, $o: Decimal!) { createModel(input: { providerId: $p, name: $n, displayName: $n, kind: CHAT, inputPricePerMtok: $i, outputPricePerMtok: $o }) { id } }`,
          { p: provider, n: name, i: input, o: output },
          master(),
        ),
      ).createModel.id as string;
    cheap = await model('cheap-1', '0.15', '0.6');
    pricey = await model('pricey-1', '2.5', '10');
    ineligible = await model('locked-1', '1', '2');
    ok(await s.gql(`mutation($ids: [ID!]!) { setEligibleModels(modelIds: $ids) { id } }`, { ids: [cheap, pricey] }, a.as));
    ok(await s.gql(`mutation { setModelAlias(alias: "fast", modelId: "${cheap}") { alias } }`, {}, a.as));
  }, 180_000);
  afterAll(() => s?.close());

  const record = (i: Record<string, unknown>, as = a.as) => s.gql(RECORD, { i: { inputTokens: 0, outputTokens: 0, ...i } }, as);
  const setPrice = async (id: string, i: string, o: string) =>
    ok(
      await s.gql(
        `mutation($id: ID!, $i: Decimal!, $o: Decimal!) { updateModel(id: $id, input: { inputPricePerMtok: $i, outputPricePerMtok: $o }) { id } }`,
        { id, i, o },
        master(),
      ),
    );

  it('computes an omitted cost from the price in force, exactly, and keeps the price on the record', async () => {
    // 1234 × 0.15 + 567 × 0.6 = 185.1 + 340.2 = 525.3 per 1M tokens → 0.0005253
    const r = ok(
      await record({ idempotencyKey: 'p-1', model: 'cheap-1', inputTokens: 1234, outputTokens: 567, userId: alice }),
    ).recordUsage;
    expect(r.record).toMatchObject({
      cost: '0.0005253',
      credits: '0.00078795',
      price: { modelId: cheap, inputPricePerMtok: '0.15', outputPricePerMtok: '0.6' },
    });
    expect(new Date(r.record.price.validFrom).getTime()).toBeLessThanOrEqual(new Date(r.record.createdAt).getTime());
    // by alias, trimmed and in any case; rounding half up at the 8th place: 3 × 0.15 / 1M = 0.00000045, 1 × 0.000000005…
    const byAlias = ok(await record({ idempotencyKey: 'p-2', model: ' FAST ', inputTokens: 3, userId: alice })).recordUsage.record;
    expect(byAlias).toMatchObject({ cost: '0.00000045', price: { modelId: cheap } });
    await setPrice(pricey, '0.005', '0.0000000049'); // 1 input token: exactly 0.000000005 → 0.00000001; 1 output: 0.0000000000000049 → 0
    const half = ok(await record({ idempotencyKey: 'p-3', model: 'pricey-1', inputTokens: 1 })).recordUsage.record;
    expect(half.cost).toBe('0.00000001');
    const down = ok(await record({ idempotencyKey: 'p-4', model: 'pricey-1', outputTokens: 1 })).recordUsage.record;
    expect(down.cost).toBe('0');
    // a given cost is kept as given and carries no price
    const given = ok(await record({ idempotencyKey: 'p-5', model: 'cheap-1', inputTokens: 1000, cost: '7.12345678' })).recordUsage.record;
    expect(given).toMatchObject({ cost: '7.12345678', price: null });
  });

  it('a price change after leaves a recorded cost as it was; the next usage pays the new price', async () => {
    const before = ok(await record({ idempotencyKey: 'c-1', model: 'pricey-1', inputTokens: 1_000_000, userId: bob })).recordUsage.record;
    expect(before.cost).toBe('0.005');
    await setPrice(pricey, '3', '12');
    const after = ok(await record({ idempotencyKey: 'c-2', model: 'pricey-1', inputTokens: 1_000_000, userId: bob })).recordUsage.record;
    expect(after).toMatchObject({ cost: '3', price: { inputPricePerMtok: '3', outputPricePerMtok: '12' } });
    // the first record, replayed by its key, still holds the old cost and price
    const again = ok(await record({ idempotencyKey: 'c-1', model: 'pricey-1', inputTokens: 1_000_000, userId: bob })).recordUsage;
    expect(again).toMatchObject({ replayed: true, record: { cost: '0.005', price: { inputPricePerMtok: '0.005' } } });
    expect(ok(await s.gql(NODE, { t: 'USER', id: bob }, a.as)).budgetNode.used).toBe('4.5075'); // (0.005 + 3) × 1.5
  });

  it('refuses an unknown model, and prices a model not eligible for the account (eligibility is catalog governance)', async () => {
    const unknown = await record({ idempotencyKey: 'u-1', model: 'no-such-model', inputTokens: 10 });
    expect(codeOf(unknown)).toBe('VALIDATION_ERROR');
    expect(unknown.body.errors?.[0].extensions.details).toEqual({
      cost: 'no catalog price for model "no-such-model": give cost or configure a price',
    });
    // another account's alias is not this one's
    ok(await s.gql(`mutation($ids: [ID!]!) { setEligibleModels(modelIds: $ids) { id } }`, { ids: [pricey] }, other.as));
    ok(await s.gql(`mutation { setModelAlias(alias: "theirs", modelId: "${pricey}") { alias } }`, {}, other.as));
    expect(codeOf(await record({ idempotencyKey: 'u-2', model: 'theirs', inputTokens: 10 }))).toBe('VALIDATION_ERROR');
    const locked = ok(
      await record({ idempotencyKey: 'u-3', model: 'locked-1', inputTokens: 1_000_000, outputTokens: 500_000 }),
    ).recordUsage;
    expect(locked.record).toMatchObject({ cost: '2', price: { modelId: ineligible } });
  });

  it('prices a batch with one catalog call and places its users with one directory call: each record on its own', async () => {
    const items = ok(
      await s.gql(
        BATCH,
        {
          is: [
            { idempotencyKey: 'b-1', model: 'cheap-1', inputTokens: 2_000_000, userId: alice },
            { idempotencyKey: 'b-2', model: 'nope', inputTokens: 1 },
            { idempotencyKey: 'b-3', model: 'fast', outputTokens: 10, userId: bob },
            { idempotencyKey: 'b-4', model: 'x-byok', cost: '0.5', domain: 'CONSOLE' },
            { idempotencyKey: 'b-5', model: 'cheap-1', inputTokens: -1 },
            { idempotencyKey: 'b-6', model: 'cheap-1', cost: '1', userId: '0193f000-0000-7000-8000-00000000beef' },
            { idempotencyKey: 'b-7', model: 'cheap-1', cost: '1', userId: alice, teamId: '0193f000-0000-7000-8000-00000000beef' },
          ],
        },
        a.as,
      ),
    ).recordUsageBatch;
    expect(items.map((i: any) => i.record?.cost ?? i.error.code)).toEqual([
      '0.3',
      'VALIDATION_ERROR',
      '0.000006',
      '0.5',
      'VALIDATION_ERROR',
      'NOT_FOUND',
      'VALIDATION_ERROR',
    ]);
    expect(items[6].error.details).toEqual({ teamId: "is not one of the user's teams" });
    // the batch's users were placed by one directory call; each record still ran through its own chain (alice's
    // team: p-1, p-2 and b-1, at credit factor 1.5)
    expect(ok(await s.gql(NODE, { t: 'TEAM', id: team }, a.as)).budgetNode.used).toBe('0.450788625');
    expect(items[1].error.details).toEqual({ cost: 'no catalog price for model "nope": give cost or configure a price' });
    expect(items[3].record.price).toBeNull();
  });

  it('BU8: groups by org, team, user, model, domain and UTC day; totals equal the sum of the records to the last decimal', async () => {
    const b = await budgetAccount(s, { monthlyCredits: '1000000', creditFactor: '1.333333' });
    const o1 = await b.org('North');
    const tm = await b.team(o1, 'T');
    const u1 = await b.user(`u1@${b.id.slice(0, 8)}.example`, [tm]);
    const u2 = await b.user(`u2@${b.id.slice(0, 8)}.example`);
    const costs = ['0.00000001', '1.23456789', '0.99999999', '12.00000007', '0.33333333', '5.55555555'];
    const who = [u1, u1, u2, null, u1, u2];
    const models = ['m-a', 'm-b', 'm-a', 'm-a', 'm-b', 'm-a'];
    const recorded: any[] = [];
    for (const [n, cost] of costs.entries())
      recorded.push(
        ok(
          await s.gql(
            `mutation($i: RecordUsageInput!) { recordUsage(input: $i) { record { cost credits createdAt } } }`,
            {
              i: {
                idempotencyKey: `bd-${n}`,
                model: models[n],
                inputTokens: n + 1,
                outputTokens: 2 * n,
                cost,
                userId: who[n],
                domain: n === 5 ? 'CONSOLE' : 'COPILOT',
              },
            },
            b.as,
          ),
        ).recordUsage.record,
      );
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const bd = async (g: string[], f?: Record<string, unknown>, as = b.as) =>
      ok(await s.gql(BREAKDOWN, { r: { from, to }, g, f }, as)).costBreakdown;

    const all = await bd(['USER', 'MODEL']);
    const totalCost = sum(
      recorded.map((r) => r.cost),
      8,
    );
    const totalCredits = sum(
      recorded.map((r) => r.credits),
      14,
    );
    expect(all.totals).toEqual({ cost: totalCost, credits: totalCredits, inputTokens: '21', outputTokens: '30', count: 6 });
    expect(totalCost).toBe('20.12345684');
    expect(
      sum(
        all.rows.map((r: any) => r.cost),
        8,
      ),
    ).toBe(totalCost);
    expect(
      sum(
        all.rows.map((r: any) => r.credits),
        14,
      ),
    ).toBe(totalCredits);
    const u1a = all.rows.find((r: any) => r.userId === u1 && r.model === 'm-b');
    expect(u1a).toMatchObject({ cost: '1.56790122', count: 2, orgId: null, day: null });
    expect(all.rows.at(-1)).toMatchObject({ userId: null, model: 'm-a', cost: '12.00000007' }); // account-level, nulls last

    const byOrg = await bd(['ORG', 'TEAM']);
    expect(byOrg.rows).toEqual([
      expect.objectContaining({ orgId: o1, teamId: tm, cost: '1.56790123', count: 3 }),
      expect.objectContaining({ orgId: null, teamId: null, cost: '18.55555561', count: 3 }),
    ]);
    const today = new Date(recorded[0].createdAt).toISOString().slice(0, 10);
    const byDay = await bd(['DAY', 'DOMAIN']);
    expect(byDay.rows.map((r: any) => [r.day, r.domain, r.cost])).toEqual(
      recorded.every((r) => r.createdAt.slice(0, 10) === today)
        ? [
            [today, 'CONSOLE', '5.55555555'],
            [today, 'COPILOT', '14.56790129'],
          ]
        : expect.any(Array), // a run across UTC midnight: the day split is checked below
    );
    expect(byDay.rows.map((r: any) => r.day).every((d: string) => recorded.some((x) => x.createdAt.slice(0, 10) === d))).toBe(true);

    // filters (an index each); another account's id or a non-id matches nothing
    expect((await bd([], { userId: u2 })).totals).toMatchObject({ cost: '6.55555554', count: 2 });
    expect((await bd(['MODEL'], { model: 'm-b', domain: 'COPILOT' })).totals.cost).toBe('1.56790122');
    expect((await bd([], { orgId: o1 })).totals.count).toBe(3);
    expect((await bd(['USER'], { userId: alice })).rows).toEqual([]);
    expect((await bd([], { teamId: 'nope' })).totals).toEqual({ cost: '0', credits: '0', inputTokens: '0', outputTokens: '0', count: 0 });
    // the entity references resolve through identity
    const named = ok(
      await s.gql(
        `query($r: CostRangeInput!) { costBreakdown(range: $r, groupBy: [ORG, USER]) { rows { org { id name } user { id email } cost } } }`,
        { r: { from, to } },
        b.as,
      ),
    ).costBreakdown.rows;
    expect(named[0]).toMatchObject({ org: { id: o1, name: 'North' }, user: { id: u1, email: `u1@${b.id.slice(0, 8)}.example` } });
    // account a sees none of b's records
    expect((await bd([], undefined, a.as)).totals.cost).not.toBe(totalCost);
  });

  it('BU8: the range is [from, to) on the record time, bad ranges are refused, and only account roles read it', async () => {
    const rec = ok(await record({ idempotencyKey: 'r-1', model: 'x', cost: '0.12345678' })).recordUsage.record;
    const at = rec.createdAt as string;
    const next = new Date(new Date(at).getTime() + 1).toISOString();
    const total = async (from: string, to: string, f?: Record<string, unknown>) =>
      ok(await s.gql(BREAKDOWN, { r: { from, to }, g: [], f: { model: 'x', ...f } }, a.as)).costBreakdown.totals;
    expect(await total(at, next)).toMatchObject({ cost: '0.12345678', count: 1 }); // from is included
    expect(await total(new Date(new Date(at).getTime() - 1000).toISOString(), at)).toMatchObject({ cost: '0', count: 0 }); // to is not
    for (const r of [
      { from: next, to: at },
      { from: at, to: at },
      { from: '2020-01-01T00:00:00Z', to: '2022-01-01T00:00:00Z' },
    ]) {
      const bad = await s.gql(BREAKDOWN, { r, g: ['DAY'] }, a.as);
      expect(codeOf(bad)).toBe('VALIDATION_ERROR');
      expect(Object.keys(bad.body.errors![0].extensions.details!)).toEqual(['range']);
    }
    const viewer = await s.tokenFor('VIEWER', a.id);
    expect(codeOf(await s.gql(BREAKDOWN, { r: { from: at, to: next }, g: [] }, { token: viewer }))).toBeUndefined();
    const endUser = await s.tokenFor('END_USER', a.id);
    expect(codeOf(await s.gql(BREAKDOWN, { r: { from: at, to: next }, g: [] }, { token: endUser }))).toBe('FORBIDDEN');
  });

  it('BU8: an end user reads their own breakdown only (myCostBreakdown), with exact totals', async () => {
    const c = await budgetAccount(s, { monthlyCredits: '1000', creditFactor: '1.5' });
    const o = await c.org('Own');
    const tm = await c.team(o, 'Mine');
    const meEmail = `me@${c.id.slice(0, 8)}.example`;
    const me = await c.user(meEmail, [tm]);
    const peer = await c.user(`peer@${c.id.slice(0, 8)}.example`, [tm]);
    const mine: { cost: string; credits: string }[] = [];
    const rec = async (key: string, model: string, cost: string, userId?: string) => {
      const r = ok(await record({ idempotencyKey: key, model, cost, userId, inputTokens: 2, outputTokens: 3 }, c.as)).recordUsage.record;
      if (userId === me) mine.push(r);
    };
    await rec('m-1', 'm-a', '1.00000001', me);
    await rec('m-2', 'm-a', '2.33333333', me);
    await rec('m-3', 'm-b', '0.00000007', me);
    await rec('p-1', 'm-a', '9.5', peer);
    await rec('x-1', 'm-a', '4'); // account-level: nobody's
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const MINE = `query($r: CostRangeInput!, $g: [CostGroupBy!]!, $f: CostBreakdownFilter) { myCostBreakdown(range: $r, groupBy: $g, filter: $f) {
      rows { userId teamId model cost credits count } totals { cost credits inputTokens outputTokens count } } }`;
    const token = await s.tokenFor('END_USER', c.id, meEmail);
    const own = async (g: string[], f?: Record<string, unknown>) =>
      ok(await s.gql(MINE, { r: { from, to }, g, f }, { token })).myCostBreakdown;

    const all = await own(['MODEL']);
    const exact = {
      cost: sum(
        mine.map((r) => r.cost),
        8,
      ),
      credits: sum(
        mine.map((r) => r.credits),
        14,
      ),
    };
    expect(exact).toEqual({ cost: '3.33333341', credits: '5.000000115' });
    expect(all.totals).toEqual({ ...exact, inputTokens: '6', outputTokens: '9', count: 3 });
    expect(all.rows).toEqual([
      { userId: null, teamId: null, model: 'm-a', cost: '3.33333334', credits: '5.00000001', count: 2 },
      { userId: null, teamId: null, model: 'm-b', cost: '0.00000007', credits: '0.000000105', count: 1 },
    ]);
    // the other filters narrow within the caller's records; naming oneself is allowed, anyone else is refused
    expect((await own(['USER'], { model: 'm-a' })).rows).toEqual([expect.objectContaining({ userId: me, cost: '3.33333334' })]);
    expect((await own([], { userId: me.toUpperCase(), teamId: tm })).totals.count).toBe(3);
    for (const userId of [peer, '0193f000-0000-7000-8000-00000000beef', 'nope']) {
      const bad = await s.gql(MINE, { r: { from, to }, g: [], f: { userId } }, { token });
      expect(codeOf(bad)).toBe('VALIDATION_ERROR');
      expect(bad.body.errors![0].extensions.details).toHaveProperty(['filter.userId']);
      expect(bad.body.data).toBeNull();
    }
    // the same range rules as costBreakdown
    expect(codeOf(await s.gql(MINE, { r: { from: to, to: from }, g: [] }, { token }))).toBe('VALIDATION_ERROR');
    // another user of the account sees theirs, never mine
    const peerToken = await s.tokenFor('END_USER', c.id, `peer@${c.id.slice(0, 8)}.example`);
    expect(ok(await s.gql(MINE, { r: { from, to }, g: [] }, { token: peerToken })).myCostBreakdown.totals).toMatchObject({
      cost: '9.5',
      count: 1,
    });
    // a login that maps to no directory user has no own costs
    const nobody = await s.tokenFor('END_USER', c.id, `nobody@${c.id.slice(0, 8)}.example`);
    const none = await s.gql(MINE, { r: { from, to }, g: [] }, { token: nobody });
    expect(codeOf(none)).toBe('NOT_FOUND');
    expect(none.body.errors![0].message).toMatch(/User/);
    // a user of another account reads nothing of this one's: their own (none) in their account
    const strangerToken = await s.tokenFor('END_USER', other.id, meEmail);
    expect(codeOf(await s.gql(MINE, { r: { from, to }, g: [] }, { token: strangerToken }))).toBe('NOT_FOUND');
  });

  it('when catalog cannot be asked, a usage without a cost fails clearly and nothing is recorded or debited', async () => {
    const used = async () => ok(await s.gql(NODE, { t: 'ACCOUNT', id: a.id }, a.as)).budgetNode.used;
    const before = await used();
    await s.subgraphs.catalog.close();
    const r = await record({ idempotencyKey: 'd-1', model: 'cheap-1', inputTokens: 1000 });
    expect(codeOf(r)).toBe('UPSTREAM_ERROR');
    expect(r.body.errors?.[0].message).toMatch(/catalog could not be asked.*not recorded/);
    expect(r.body.errors?.[0].message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    expect(await used()).toBe(before);
    // a cost given needs no price: still recorded
    expect(ok(await record({ idempotencyKey: 'd-2', model: 'cheap-1', cost: '1' })).recordUsage.record.cost).toBe('1');
    // the key was not taken by the failed write: with a cost it records now
    expect(ok(await record({ idempotencyKey: 'd-1', model: 'cheap-1', cost: '2' })).recordUsage.replayed).toBe(false);
  });
});
