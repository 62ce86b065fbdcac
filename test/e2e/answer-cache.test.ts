import { createGateway, type Gateway } from '@cockpit/gateway';
import { createBudgetsSubgraph } from '@cockpit/budgets';
import { assertAnswerGenerations, tablesWithoutGeneration, testLogger, type AnswerCache, type BuiltSubgraph } from '@cockpit/kit';
import { codeOf, ok, startTestStack, type GqlResult, type TestStack } from '../support/stack';

/**
 * Issue 15 item 4: the subgraphs' exact answer cache. An answer is stored under
 * the account's write generation read before it executed, which triggers bump in
 * every writing transaction; so a hit never serves an answer older than the last
 * committed write — whoever wrote, through whichever replica.
 */
describe('the exact answer cache', () => {
  let s: TestStack;
  let acme: string;
  let initech: string;
  const QUERY = `{ account { id name budgetPlan { monthlyCredits } } }`;
  const asMaster = (accountId: string) => ({ token: s.masterKey, accountId });
  const read = async (accountId: string) => ok(await s.gql(QUERY, {}, asMaster(accountId))).account;
  const cacheOf = (name: 'identity' | 'budgets') => s.subgraphs[name].answerCache as AnswerCache;
  const snapshot = () => ({ identity: { ...cacheOf('identity').stats }, budgets: { ...cacheOf('budgets').stats } });
  const setCredits = async (accountId: string, credits: string) =>
    ok(
      await s.gql(
        `mutation($c: Decimal!) { setBudgetPlan(input: { monthlyCredits: $c }) { monthlyCredits } }`,
        { c: credits },
        asMaster(accountId),
      ),
    );

  beforeAll(async () => {
    s = await startTestStack();
    const CREATE = `mutation($n: String!, $d: String!) { createAccount(input: { name: $n, emailDomain: $d, planTier: TEAM }) { id } }`;
    acme = ok(await s.gql(CREATE, { n: 'Acme Cache', d: 'acme.example' }, { token: s.masterKey })).createAccount.id;
    initech = ok(await s.gql(CREATE, { n: 'Initech Cache', d: 'initech.example' }, { token: s.masterKey })).createAccount.id;
    await setCredits(acme, '1000');
    await setCredits(initech, '5');
  });
  afterEach(() => {
    for (const name of ['identity', 'budgets'] as const) cacheOf(name).beforeStore = null;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('serves a repeated read without executing, and the mutation that changes it refreshes it', async () => {
    expect(await read(acme)).toEqual({ id: acme, name: 'Acme Cache', budgetPlan: { monthlyCredits: '1000' } });
    const before = snapshot();
    // the same document again: both subgraphs answer from the cache, no resolver runs
    // (a hit is answered in responseForOperation: Apollo executes nothing, no read statement is sent)
    expect(await read(acme)).toEqual({ id: acme, name: 'Acme Cache', budgetPlan: { monthlyCredits: '1000' } });
    const hit = snapshot();
    expect(hit.identity.hits - before.identity.hits).toBe(1);
    expect(hit.budgets.hits - before.budgets.hits).toBe(1);
    expect(hit.identity.misses + hit.budgets.misses).toBe(before.identity.misses + before.budgets.misses);

    await setCredits(acme, '2000');
    expect((await read(acme)).budgetPlan).toEqual({ monthlyCredits: '2000' });
    expect(snapshot().budgets.misses - hit.budgets.misses).toBe(1);
  });

  it('a write that is no mutation (raw SQL outside the API) invalidates too', async () => {
    await read(acme);
    await read(acme); // cached
    await s.subgraphs.budgets.orm.em
      .getConnection()
      .execute(`update "budgets"."budget_plan" set monthly_credits = 3000 where account_id = ?`, [acme]);
    expect((await read(acme)).budgetPlan).toEqual({ monthlyCredits: '3000' });
  });

  it('never serves one account’s answer to another, nor one role’s to another', async () => {
    await read(acme);
    expect(await read(initech)).toEqual({ id: initech, name: 'Initech Cache', budgetPlan: { monthlyCredits: '5' } });
    expect((await read(acme)).name).toBe('Acme Cache');
    // one user, one account, two roles: the same document, each principal its own answer
    const viewer = await s.tokenFor('VIEWER', acme, 'alex');
    const endUser = await s.tokenFor('END_USER', acme, 'alex');
    const DOC = `{ account { id name } }`;
    const hits = cacheOf('identity').stats.hits;
    expect(ok(await s.gql(DOC, {}, { token: viewer })).account).toEqual({ id: acme, name: 'Acme Cache' });
    expect(ok(await s.gql(DOC, {}, { token: viewer })).account).toEqual({ id: acme, name: 'Acme Cache' });
    expect(cacheOf('identity').stats.hits - hits).toBe(1);
    // an end user may not read the account: an error, never the viewer's cached answer
    const denied = await s.gql(DOC, {}, { token: endUser });
    expect(codeOf(denied)).toBe('FORBIDDEN');
    expect(denied.body.data?.account ?? null).toBeNull();
  });

  it('an in-flight read racing a write never stores its pre-write answer under the post-write generation', async () => {
    await setCredits(acme, '4000');
    // the read executes, then waits before storing while a write commits
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let reached!: () => void;
    const atStore = new Promise<void>((r) => (reached = r));
    cacheOf('budgets').beforeStore = async () => {
      cacheOf('budgets').beforeStore = null;
      reached();
      await held;
    };
    const racing = read(acme);
    await atStore;
    // a write committed meanwhile (straight in the database: the gateway's connection to budgets is busy with the held answer)
    await s.subgraphs.budgets.orm.em
      .getConnection()
      .execute(`update "budgets"."budget_plan" set monthly_credits = 4500 where account_id = ?`, [acme]);
    release();
    expect((await racing).budgetPlan).toEqual({ monthlyCredits: '4000' }); // read before the write: fine to answer
    // stored under the generation read before the write: the next read misses and sees the write
    expect((await read(acme)).budgetPlan).toEqual({ monthlyCredits: '4500' });
    expect((await read(acme)).budgetPlan).toEqual({ monthlyCredits: '4500' });
  });

  it('every table of a subgraph schema is watched: a table without the triggers is reported', async () => {
    const sql = (q: string) => s.subgraphs.budgets.orm.em.getConnection().execute(q);
    expect(await tablesWithoutGeneration(s.subgraphs.budgets.orm, 'budgets')).toEqual([]);
    await sql(`create table "budgets"."unwatched" (account_id uuid primary key)`);
    try {
      expect(await tablesWithoutGeneration(s.subgraphs.budgets.orm, 'budgets')).toEqual(['unwatched']);
      await expect(assertAnswerGenerations(s.subgraphs.budgets.orm, 'budgets')).rejects.toThrow(
        /budgets\.unwatched has no answer-generation/,
      );
    } finally {
      await sql(`drop table "budgets"."unwatched"`);
    }
  });

  describe('two replicas on one database', () => {
    let replica: BuiltSubgraph;
    let b: Gateway;
    let bUrl: string;

    beforeAll(async () => {
      replica = await createBudgetsSubgraph({
        databaseUrl: s.databaseUrl,
        gatewayPublicKey: s.keys.gateway.publicKey,
        serviceKey: s.keys.budgets.privateKey,
        observabilityUrl: () => s.subgraphUrls.observability,
        log: testLogger(),
      });
      const replicaUrl = await replica.listen();
      b = await createGateway(
        { ...s.gatewayConfig, subgraphUrls: { ...s.subgraphUrls, budgets: replicaUrl }, logLevel: 'silent' },
        testLogger(),
      );
      bUrl = await b.listen(0);
    });
    afterAll(async () => {
      await b?.close();
      await replica?.close();
    });

    it('a write through one replica is seen at once by a read through the other', async () => {
      const onB = async () => {
        const res = await fetch(bUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${s.masterKey}`, 'x-account-id': acme },
          body: JSON.stringify({ query: QUERY }),
        });
        return ok({ status: res.status, headers: res.headers, body: (await res.json()) as GqlResult['body'] }).account;
      };
      await onB();
      const before = { ...(replica.answerCache as AnswerCache).stats };
      expect((await onB()).budgetPlan).toEqual({ monthlyCredits: '4500' });
      expect((replica.answerCache as AnswerCache).stats.hits - before.hits).toBe(1);
      await setCredits(acme, '6000'); // through the stack's gateway and budgets
      expect((await onB()).budgetPlan).toEqual({ monthlyCredits: '6000' });
    });
  });
});
