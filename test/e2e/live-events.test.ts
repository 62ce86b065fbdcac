import type { Client } from 'graphql-ws';
import { eventually, ok, startTestStack, type TestStack } from '../support/stack';

type Received = { seq: number; cursor: string; type: string; account: { name: string; budgetPlan: { monthlyCredits: string } | null } };

function collect(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const got: Received[] = [];
  const errors: unknown[] = [];
  const stop = client.subscribe<{ feed: Received }>(
    { query, variables },
    {
      next: (r) => (r.data?.feed && !r.errors ? got.push(r.data.feed) : errors.push(r.errors ?? r)),
      error: (e) => errors.push(e),
      complete: () => {},
    },
  );
  return { got, errors, stop };
}

/** The promise's value, or 'still open' when it takes longer than `ms`. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | 'still open'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still open'>((r) => (timer = setTimeout(() => r('still open'), ms)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

const FEED = `subscription($after: String) { feed: events(after: $after) { seq cursor type account { name budgetPlan { monthlyCredits } } } }`;

/**
 * The cursor of the account's second newest recorded event: a subscription after it
 * replays the newest at once, and that first event is the signal it is live (the
 * feed hands over from replay to live events without a gap).
 */
async function replayOne(s: TestStack, token: string): Promise<string> {
  const log = ok(await s.gql(`{ auditLog(first: 2) { edges { node { cursor } } } }`, {}, { token })).auditLog;
  return log.edges[1].node.cursor;
}

describe('live events over graphql-ws through the gateway (OB8)', () => {
  let s: TestStack;
  let superToken: string;
  let account: string;
  let admin: string;

  beforeAll(async () => {
    s = await startTestStack();
    superToken = await s.tokenFor('SUPER_ADMIN');
    account = ok(
      await s.gql(
        `mutation { createAccount(input: { name: "Hooli", emailDomain: "hooli.example", planTier: TEAM }) { id } }`,
        {},
        { token: superToken },
      ),
    ).createAccount.id;
    ok(
      await s.gql(
        `mutation { setBudgetPlan(input: { monthlyCredits: "500" }) { accountId } }`,
        {},
        { token: superToken, accountId: account },
      ),
    );
    admin = await s.tokenFor('ADMIN', account);
    // wait for the two set-up events to land so the subscription starts after them
    await eventually(async () => ok(await s.gql(`{ auditLog { totalCount } }`, {}, { token: admin })).auditLog.totalCount === 2);
    // a whole stack and an OpenID provider: slow to start on a loaded machine
  }, 120_000);
  afterAll(() => s?.close());

  const createOrg = (name: string) =>
    s.gql(`mutation($n: String!) { createOrg(input: { name: $n, domain: COPILOT }) { id } }`, { n: name }, { token: admin }).then(ok);

  it('streams events live with fields from other subgraphs, and replays exactly the missed ones after a reconnect', async () => {
    const from = await replayOne(s, admin);
    const first = collect(s.wsClient(admin), FEED, { after: from });
    const second = collect(s.wsClient(admin), FEED, { after: from }); // same selection and scope: shares one resolution
    await eventually(async () => (first.got.length >= 1 && second.got.length >= 1) || first.errors.length > 0);
    await createOrg('Live 1');
    await createOrg('Live 2');
    await eventually(async () => (first.got.length >= 3 && second.got.length >= 3) || first.errors.length > 0);
    expect(first.errors).toEqual([]);
    expect(first.got.map((e) => [e.seq, e.type])).toEqual([
      [2, 'budget.plan.set'],
      [3, 'org.created'],
      [4, 'org.created'],
    ]);
    expect(first.got[1].account).toEqual({ name: 'Hooli', budgetPlan: { monthlyCredits: '500' } });
    expect(second.got).toEqual(first.got);
    expect(s.gateway.bridge.groupCount).toBe(1);

    // disconnect, miss three events, come back with the last cursor
    const cursor = first.got[first.got.length - 1].cursor;
    first.stop();
    second.stop();
    await createOrg('Missed 1');
    await createOrg('Missed 2');
    await createOrg('Missed 3');
    const again = collect(s.wsClient(admin), FEED, { after: cursor });
    await eventually(async () => again.got.length >= 3);
    await createOrg('Live 3');
    await createOrg('Live 4');
    // a double of any replayed or live event would arrive before the last one
    await eventually(async () => again.got.some((e) => e.seq === 9));
    expect(again.got.map((e) => e.seq)).toEqual([5, 6, 7, 8, 9]); // no gap, no double
    expect(again.errors).toEqual([]);
    again.stop();
  });

  it('groups only callers that are alike in everything but the request: two admins of one account resolve apart', async () => {
    const other = await s.tokenFor('ADMIN', account);
    const from = await replayOne(s, admin);
    const mine = collect(s.wsClient(admin), FEED, { after: from });
    const theirs = collect(s.wsClient(other), FEED, { after: from });
    await createOrg('Grouped');
    // the replayed event and the new one, for both (the replayed one alone is also an org.created)
    await eventually(async () => [mine, theirs].every((x) => x.got.length >= 2 || x.errors.length > 0));
    expect(theirs.errors).toEqual([]);
    expect(mine.got.map((e) => e.type)).toEqual(['org.created', 'org.created']);
    expect(theirs.got).toEqual(mine.got);
    // another subject (a resolver may answer by it): its own group, over the account's one feed
    expect(s.gateway.bridge.groupCount).toBe(2);
    expect(s.gateway.bridge.upstreamFeedCount).toBe(1);
    mine.stop();
    theirs.stop();
  });

  it('keeps accounts apart: a subscriber sees only its own account', async () => {
    const other = ok(
      await s.gql(
        `mutation { createAccount(input: { name: "Pied Piper", emailDomain: "pp.example", planTier: FREE }) { id } }`,
        {},
        { token: superToken },
      ),
    ).createAccount.id;
    const otherAdmin = await s.tokenFor('ADMIN', other);
    const otherOrg = (name: string) =>
      s
        .gql(`mutation($n: String!) { createOrg(input: { name: $n, domain: COPILOT }) { id } }`, { n: name }, { token: otherAdmin })
        .then(ok);
    await otherOrg('Warm-up');
    await eventually(async () => ok(await s.gql(`{ auditLog { totalCount } }`, {}, { token: otherAdmin })).auditLog.totalCount === 2);
    const watcher = collect(
      s.wsClient(otherAdmin),
      `subscription($after: String) { feed: events(after: $after) { seq type account { name budgetPlan { monthlyCredits } } } }`,
      { after: await replayOne(s, otherAdmin) },
    );
    await eventually(async () => watcher.got.length >= 1);
    await createOrg('Private');
    await otherOrg('Visible');
    // both come through identity's outbox in commit order: a leaked 'Private' would arrive before 'Visible'
    await eventually(async () => watcher.got.length >= 2);
    expect(watcher.got.map((e) => [e.seq, e.account.name])).toEqual([
      [2, 'Pied Piper'],
      [3, 'Pied Piper'],
    ]);
    expect(watcher.errors).toEqual([]);
    watcher.stop();
  });

  it('ends the live feed of a revoked key and of a suspended account’s token at once (4401)', async () => {
    const closedWith = (c: Client) => new Promise<number>((resolve) => c.on('closed', (e: any) => resolve(e.code)));
    const key = ok(
      await s.gql(`mutation { createApiKey(input: { name: "live", tier: ADMIN }) { secret apiKey { id } } }`, {}, { token: admin }),
    ).createApiKey;
    const from = await replayOne(s, admin);
    const viaKey = s.wsClient(key.secret);
    const keyClosed = closedWith(viaKey);
    const keyFeed = collect(viaKey, FEED, { after: from });
    const viaToken = s.wsClient(admin);
    const tokenClosed = closedWith(viaToken);
    const tokenFeed = collect(viaToken, FEED, { after: from });
    // both feeds are live once each has received its replayed event
    await eventually(async () => keyFeed.got.length >= 1 && tokenFeed.got.length >= 1);

    // the gateway caches keys for 30 s here: only its check after the revoking mutation can end the feed this soon
    ok(await s.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: key.apiKey.id }, { token: admin }));
    expect(await within(keyClosed, 5000)).toBe(4401);

    ok(await s.gql(`mutation($id: ID!) { suspendAccount(id: $id) { status } }`, { id: account }, { token: superToken }));
    expect(await within(tokenClosed, 5000)).toBe(4401);
    ok(await s.gql(`mutation($id: ID!) { reactivateAccount(id: $id) { status } }`, { id: account }, { token: superToken }));
  });

  it('refuses a connection without valid credentials with 4401', async () => {
    const bad = s.wsClient('sk-cap-' + 'a'.repeat(52));
    const closed = await new Promise<number>((resolve) => {
      bad.on('closed', (e: any) => resolve(e.code));
      bad.subscribe({ query: FEED }, { next() {}, error() {}, complete() {} });
    });
    expect(closed).toBe(4401);
  });
});
