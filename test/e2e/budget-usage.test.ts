import { ALLOCATE, budgetAccount, NODE, type BudgetAccount } from '../support/budgets';
import { codeOf, ok, startTestStack, type TestStack } from '../support/stack';

const LEVEL = `scopeType scopeId explicit limit used remaining`;
const EFFECTIVE = `query($u: ID!, $t: ID) { effectiveAllocation(userId: $u, teamId: $t) {
  userId teamId orgId spendable source { ${LEVEL} } bindingLevel { ${LEVEL} } chain { ${LEVEL} } } }`;
const RECORD = `mutation($i: RecordUsageInput!) { recordUsage(input: $i) { replayed record {
  id idempotencyKey domain model inputTokens outputTokens cost creditFactor credits userId teamId orgId recordedBy } } }`;
const AUTHORIZE = `query($i: AuthorizeSpendInput!) { authorizeSpend(input: $i) { credits spendable bindingLevel { scopeType scopeId } } }`;

/** BU4 effective allocation, BU5 usage recording and BU6 enforcement through the gateway, on PGlite or PostgreSQL. */
describe('effective allocation, usage and enforcement (BU4, BU5, BU6)', () => {
  let s: TestStack;
  let a: BudgetAccount;
  let org: string, t1: string, t2: string, alice: string, bob: string, aliceEmail: string;

  beforeAll(async () => {
    s = await startTestStack();
    a = await budgetAccount(s, { monthlyCredits: '1000', overflowLimit: '100', creditFactor: '1.25' });
    org = await a.org('Research');
    t1 = await a.team(org, 'Models');
    t2 = await a.team(org, 'Evals');
    aliceEmail = `alice@${a.id.slice(0, 8)}.example`;
    alice = await a.user(aliceEmail, [t1, t2]); // joins Models first
    bob = await a.user(`bob@${a.id.slice(0, 8)}.example`, [t1]);
  }, 180_000);
  afterAll(() => s?.close());

  const allocate = async (scopeType: string, scopeId: string, amount: string, acc = a, teamId?: string) =>
    ok(await s.gql(ALLOCATE, { i: { scopeType, scopeId, amount, teamId } }, acc.as));
  const record = (i: Record<string, unknown>, as: { token: string; accountId?: string } = a.as) =>
    s.gql(RECORD, { i: { model: 'gpt-x', inputTokens: 10, outputTokens: 5, ...i } }, as);
  const node = async (t: string, id: string, acc = a) => ok(await s.gql(NODE, { t, id }, acc.as)).budgetNode;

  it('resolves the effective allocation up user → team → org → account, with the chain that produced it (BU4)', async () => {
    const eff = async (u: string, t?: string) => ok(await s.gql(EFFECTIVE, { u, t }, a.as)).effectiveAllocation;
    let e = await eff(alice);
    // no allocation yet: the account's, through the team alice joined first
    expect(e).toMatchObject({ userId: alice, teamId: t1, orgId: org, spendable: '1100', source: { scopeType: 'ACCOUNT', limit: '1100' } });
    expect(e.chain.map((l: any) => [l.scopeType, l.explicit])).toEqual([
      ['USER', false],
      ['TEAM', false],
      ['ORG', false],
      ['ACCOUNT', true],
    ]);
    await allocate('ORG', org, '500');
    await allocate('TEAM', t2, '100');
    expect((await eff(alice)).source).toMatchObject({ scopeType: 'ORG', scopeId: org, limit: '500' });
    // naming her other team runs the chain through it
    e = await eff(alice, t2);
    expect(e).toMatchObject({
      teamId: t2,
      spendable: '100',
      source: { scopeType: 'TEAM', scopeId: t2 },
      bindingLevel: { scopeType: 'TEAM' },
    });
    await allocate('USER', alice, '30', a, t2);
    e = await eff(alice, t2);
    expect(e.source).toMatchObject({ scopeType: 'USER', scopeId: alice, limit: '30', remaining: '30' });
    expect(e.spendable).toBe('30');
    // a team that is not hers, an unknown user, another account's user
    const notHers = await s.gql(EFFECTIVE, { u: bob, t: t2 }, a.as);
    expect(codeOf(notHers)).toBe('VALIDATION_ERROR');
    expect(notHers.body.errors?.[0].extensions.details).toEqual({ teamId: "is not one of the user's teams" });
    const other = await budgetAccount(s, { monthlyCredits: '1' });
    const stranger = await other.user('x@other.example');
    for (const u of [stranger, '0193f000-0000-7000-8000-00000000beef', 'nope'])
      expect(codeOf(await s.gql(EFFECTIVE, { u }, a.as))).toBe('NOT_FOUND');
  });

  it('gives the caller their own effective allocation through the directory user of their login', async () => {
    const token = await s.tokenFor('END_USER', a.id, aliceEmail);
    const mine = ok(
      await s.gql(`{ myEffectiveAllocation(teamId: "${t2}") { userId teamId spendable source { scopeType } } }`, {}, { token }),
    );
    expect(mine.myEffectiveAllocation).toEqual({ userId: alice, teamId: t2, spendable: '30', source: { scopeType: 'USER' } });
    // a login that maps to no directory user has no effective allocation
    const nobody = await s.tokenFor('END_USER', a.id, `nobody@${a.id.slice(0, 8)}.example`);
    expect(codeOf(await s.gql(`{ myEffectiveAllocation { userId } }`, {}, { token: nobody }))).toBe('NOT_FOUND');
  });

  it('records usage with credits = cost × credit factor exactly, and a repeated key debits nothing (BU5)', async () => {
    const first = ok(await record({ idempotencyKey: 'k-1', cost: '0.00000123', userId: bob })).recordUsage;
    expect(first.replayed).toBe(false);
    expect(first.record).toMatchObject({
      cost: '0.00000123',
      creditFactor: '1.25',
      credits: '0.0000015375',
      userId: bob,
      teamId: t1,
      orgId: org,
      domain: 'COPILOT',
      recordedBy: 'master-key',
    });
    const again = ok(await record({ idempotencyKey: 'k-1', cost: '999', userId: bob })).recordUsage;
    expect(again).toEqual({ replayed: true, record: first.record });
    expect(await node('USER', bob)).toMatchObject({ used: '0.0000015375' });
    expect(await node('ACCOUNT', a.id)).toMatchObject({ used: '0.0000015375', remaining: '1099.9999984625' });
  });

  it('refuses bad usage input: negative or over-precise cost, a team not the user’s, a bad key', async () => {
    for (const [i, details] of [
      [{ cost: '-1' }, { cost: 'must not be negative' }],
      [{ cost: '0.000000001' }, { cost: 'must have at most 8 decimal places' }],
      [{ cost: '1', idempotencyKey: '' }, { idempotencyKey: 'must be 1 to 200 characters' }],
      [{ cost: '1', inputTokens: -3 }, { inputTokens: 'must be a whole number from 0' }],
      [{ cost: '1', userId: bob, teamId: t2 }, { teamId: "is not one of the user's teams" }],
    ] as const) {
      const r = await record({ idempotencyKey: 'bad', ...i });
      expect(codeOf(r)).toBe('VALIDATION_ERROR');
      expect(r.body.errors?.[0].extensions.details).toEqual(details);
    }
    expect(codeOf(await record({ idempotencyKey: 'bad', cost: '1', userId: '0193f000-0000-7000-8000-00000000beef' }))).toBe('NOT_FOUND');
  });

  it('lets END_USER, agents and services record, refuses admins below ADMIN, and a user-bound key spends as its user', async () => {
    for (const role of ['VIEWER', 'OPERATOR'])
      expect(codeOf(await record({ idempotencyKey: `r-${role}`, cost: '1' }, { token: await s.tokenFor(role, a.id) }))).toBe('FORBIDDEN');
    const { createApiKey } = ok(
      await s.gql(
        `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }`,
        { i: { name: 'bob runtime', tier: 'CLIENT', userId: bob } },
        a.as,
      ),
    );
    const bound = { token: createApiKey.secret as string };
    const r = ok(await record({ idempotencyKey: 'bound-1', cost: '2' }, bound)).recordUsage;
    expect(r.record).toMatchObject({ userId: bob, teamId: t1, credits: '2.5' });
    const other = await record({ idempotencyKey: 'bound-2', cost: '2', userId: alice }, bound);
    expect(codeOf(other)).toBe('FORBIDDEN');
    // an SSO login of a user records as that user too
    const login = ok(
      await record({ idempotencyKey: 'alice-1', cost: '4', teamId: t2 }, { token: await s.tokenFor('END_USER', a.id, aliceEmail) }),
    );
    expect(login.recordUsage.record).toMatchObject({ userId: alice, teamId: t2, credits: '5' });
    expect(await node('USER', alice)).toMatchObject({ used: '5', remaining: '25' });
    expect(await node('TEAM', t2)).toMatchObject({ used: '5', remaining: '95' });
  });

  it('checks a spend before it happens and denies one that would pass a level, naming it (authorizeSpend)', async () => {
    const token = await s.tokenFor('END_USER', a.id, aliceEmail);
    const yes = ok(await s.gql(AUTHORIZE, { i: { cost: '8', teamId: t2 } }, { token })).authorizeSpend;
    expect(yes).toEqual({ credits: '10', spendable: '25', bindingLevel: { scopeType: 'USER', scopeId: alice } });
    const no = await s.gql(AUTHORIZE, { i: { cost: '20.8', teamId: t2 } }, { token });
    expect(no.body.errors?.[0].extensions).toMatchObject({
      code: 'FORBIDDEN',
      details: { reason: 'BUDGET_EXCEEDED', level: 'USER', scopeId: alice, limit: '30', used: '5', remaining: '25', requested: '26' },
    });
    // nothing was reserved or spent by asking
    expect(await node('USER', alice)).toMatchObject({ used: '5' });
    expect(codeOf(await s.gql(AUTHORIZE, { i: { cost: '1' } }, { token: await s.tokenFor('VIEWER', a.id) }))).toBe('FORBIDDEN');
  });

  it('holds the account bound at monthly credits + overflow and names the account when it blocks', async () => {
    const small = await budgetAccount(s, { monthlyCredits: '10', overflowLimit: '2', creditFactor: '1' });
    ok(await record({ idempotencyKey: 'a-1', cost: '11.5' }, small.as));
    const r = await record({ idempotencyKey: 'a-2', cost: '0.6' }, small.as);
    expect(r.body.errors?.[0].extensions).toMatchObject({
      code: 'FORBIDDEN',
      details: { level: 'ACCOUNT', scopeId: small.id, limit: '12', used: '11.5', remaining: '0.5', requested: '0.6' },
    });
    expect(r.body.errors?.[0].message).toMatch(/ACCOUNT level/);
    ok(await record({ idempotencyKey: 'a-3', cost: '0.5' }, small.as));
    expect(await node('ACCOUNT', small.id, small)).toMatchObject({ used: '12', remaining: '0' });
    // an account with no plan has nothing to spend
    const none = await budgetAccount(s, null);
    expect((await record({ idempotencyKey: 'n-1', cost: '1' }, none.as)).body.errors?.[0].extensions.details).toMatchObject({
      level: 'ACCOUNT',
    });
  });

  it('records a batch in order, each record on its own: a denied or invalid one fails alone (BU5 batch form)', async () => {
    const b = await budgetAccount(s, { monthlyCredits: '10', creditFactor: '2' });
    const BATCH = `mutation($i: [RecordUsageInput!]!) { recordUsageBatch(inputs: $i) { replayed record { idempotencyKey credits } error { code details } } }`;
    const item = (idempotencyKey: string, cost: string) => ({ idempotencyKey, cost, model: 'm' });
    const r = ok(
      await s.gql(BATCH, { i: [item('b-1', '3'), item('b-1', '3'), item('b-2', '3'), item('b-3', '-1'), item('b-4', '1')] }, b.as),
    );
    expect(r.recordUsageBatch).toEqual([
      { replayed: false, record: { idempotencyKey: 'b-1', credits: '6' }, error: null },
      { replayed: true, record: { idempotencyKey: 'b-1', credits: '6' }, error: null },
      {
        replayed: false,
        record: null,
        error: {
          code: 'FORBIDDEN',
          details: expect.objectContaining({ reason: 'BUDGET_EXCEEDED', level: 'ACCOUNT', remaining: '4', requested: '6' }),
        },
      },
      { replayed: false, record: null, error: { code: 'VALIDATION_ERROR', details: { cost: 'must not be negative' } } },
      { replayed: false, record: { idempotencyKey: 'b-4', credits: '2' }, error: null },
    ]);
    expect(await node('ACCOUNT', b.id, b)).toMatchObject({ used: '8', remaining: '2' });
    expect(codeOf(await s.gql(BATCH, { i: [] }, b.as))).toBe('VALIDATION_ERROR');
  });

  /** 200 writers at once against one binding level whose remaining allows exactly `n`: exactly n pass, the rest are denied naming it. */
  async function race(level: 'USER' | 'TEAM') {
    const acc = await budgetAccount(s, { monthlyCredits: '100000', creditFactor: '1.25' });
    const o = await acc.org('Race');
    const team = await acc.team(o, 'Hot');
    const user = await acc.user(`hot@${acc.id.slice(0, 8)}.example`, [team]);
    await allocate('ORG', o, '1000', acc);
    // remaining 25 credits at the binding level = exactly 20 writes of cost 1 (1.25 credits each)
    if (level === 'USER') {
      await allocate('TEAM', team, '500', acc);
      await allocate('USER', user, '25', acc);
    } else await allocate('TEAM', team, '25', acc);
    // a write the subgraph shed (its pool wait bound hit: SERVICE_UNAVAILABLE, retryable, rolled back), that
    // timed out at the gateway (UPSTREAM_ERROR: it may have committed) or whose connection dropped is sent
    // again with its idempotency key after a backoff, as a runtime does: the outcome must stay exact (a
    // retried write that had committed answers its first result and debits nothing)
    let shed = 0;
    const RETRY = new Set(['SERVICE_UNAVAILABLE', 'UPSTREAM_ERROR']);
    const write = async (i: number) => {
      for (let attempt = 0; ; attempt++) {
        const sent = record({ idempotencyKey: `race-${i}`, cost: '1', userId: user }, acc.as);
        const r = attempt < 12 ? await sent.catch(() => null) : await sent;
        const code = r?.body.errors?.[0].extensions.code;
        if (r && (!code || !RETRY.has(code) || attempt === 12)) return r;
        shed++;
        await new Promise((done) => setTimeout(done, Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random())));
      }
    };
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => write(i)));
    if (shed) console.log(`${level} race: ${shed} writes shed or timed out and retried`);
    const passed = results.filter((r) => !r.body.errors);
    const denied = results.filter((r) => r.body.errors);
    expect(passed).toHaveLength(20);
    expect(denied).toHaveLength(180);
    const scopeId = level === 'USER' ? user : team;
    for (const r of denied)
      expect(r.body.errors?.[0].extensions).toMatchObject({
        code: 'FORBIDDEN',
        details: { reason: 'BUDGET_EXCEEDED', level, scopeId, limit: '25' },
      });
    expect(await node(level, scopeId, acc)).toMatchObject({ used: '25', remaining: '0' });
    for (const [t, id] of [
      ['USER', user],
      ['TEAM', team],
      ['ORG', o],
      ['ACCOUNT', acc.id],
    ])
      expect((await node(t, id, acc)).used).toBe('25');
  }

  it('lets exactly as many of 200 concurrent writes pass as one user’s remaining allows', () => race('USER'), 180_000);
  it('lets exactly as many of 200 concurrent writes pass as one team’s remaining allows', () => race('TEAM'), 180_000);

  it('contributes budget { allocated unallocated used remaining effective } to orgs, teams and users, batched per request', async () => {
    const BUDGET = `budget { allocated unallocated used remaining effective { scopeType scopeId } }`;
    const r = ok(
      await s.gql(
        `query($o: ID!) { org(id: $o) { ${BUDGET} teams(first: 10) { nodes { id ${BUDGET} members(first: 10) { nodes { id ${BUDGET} } } } } } }`,
        { o: org },
        a.as,
      ),
    ).org;
    expect(r.budget).toMatchObject({ allocated: '500', unallocated: '400', effective: { scopeType: 'ORG', scopeId: org } });
    const teams = new Map(r.teams.nodes.map((t: any) => [t.id, t]));
    expect((teams.get(t1) as any).budget).toMatchObject({
      allocated: null,
      unallocated: null,
      effective: { scopeType: 'ORG', scopeId: org },
    });
    expect((teams.get(t2) as any).budget).toMatchObject({ allocated: '100', used: '5', remaining: '95', effective: { scopeType: 'TEAM' } });
    const members = (teams.get(t1) as any).members.nodes;
    const bobs = members.find((m: any) => m.id === bob).budget;
    // bob has no allocation of his own: his chain runs through Models (unallocated) to the org
    expect(bobs).toMatchObject({ allocated: null, effective: { scopeType: 'ORG', scopeId: org } });
    expect(members.find((m: any) => m.id === alice).budget).toMatchObject({
      allocated: '30',
      effective: { scopeType: 'USER', scopeId: alice },
    });
    // a Console node has no budget; a viewer reads, an END_USER caller cannot reach the directory at all
    const consoleOrg = await a.org('Console side', 'CONSOLE');
    expect(ok(await s.gql(`query($o: ID!) { org(id: $o) { budget { allocated } } }`, { o: consoleOrg }, a.as)).org.budget).toBeNull();
    const viewer = await s.tokenFor('VIEWER', a.id);
    expect(
      ok(await s.gql(`query($o: ID!) { org(id: $o) { budget { allocated } } }`, { o: org }, { token: viewer })).org.budget.allocated,
    ).toBe('500');
  });
});
