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

const FEED = `subscription($after: String) { feed: events(after: $after) { seq cursor type account { name budgetPlan { monthlyCredits } } } }`;

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
  });
  afterAll(() => s.close());

  const createOrg = (name: string) =>
    s.gql(`mutation($n: String!) { createOrg(input: { name: $n, domain: COPILOT }) { id } }`, { n: name }, { token: admin }).then(ok);

  it('streams events live with fields from other subgraphs, and replays exactly the missed ones after a reconnect', async () => {
    const first = collect(s.wsClient(admin), FEED);
    const second = collect(s.wsClient(admin), FEED); // same selection and scope: shares one resolution
    await new Promise((r) => setTimeout(r, 300));
    await createOrg('Live 1');
    await createOrg('Live 2');
    await eventually(async () => (first.got.length >= 2 && second.got.length >= 2) || first.errors.length > 0);
    expect(first.errors).toEqual([]);
    expect(first.got.map((e) => [e.seq, e.type])).toEqual([
      [3, 'org.created'],
      [4, 'org.created'],
    ]);
    expect(first.got[0].account).toEqual({ name: 'Hooli', budgetPlan: { monthlyCredits: '500' } });
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
    await eventually(async () => again.got.length >= 4);
    await new Promise((r) => setTimeout(r, 300));
    expect(again.got.map((e) => e.seq)).toEqual([5, 6, 7, 8]); // no gap, no double
    expect(again.errors).toEqual([]);
    again.stop();
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
    const watcher = collect(
      s.wsClient(otherAdmin),
      `subscription { feed: events { seq type account { name budgetPlan { monthlyCredits } } } }`,
    );
    await new Promise((r) => setTimeout(r, 300));
    await createOrg('Private');
    await s.gql(`mutation { createOrg(input: { name: "Visible", domain: COPILOT }) { id } }`, {}, { token: otherAdmin }).then(ok);
    await eventually(async () => watcher.got.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(watcher.got.map((e) => e.account.name)).toEqual(['Pied Piper']);
    watcher.stop();
  });

  it('ends the live feed of a revoked key and of a suspended account’s token at once (4401)', async () => {
    const closedWith = (c: Client) => new Promise<number>((resolve) => c.on('closed', (e: any) => resolve(e.code)));
    const key = ok(
      await s.gql(`mutation { createApiKey(input: { name: "live", tier: ADMIN }) { secret apiKey { id } } }`, {}, { token: admin }),
    ).createApiKey;
    const viaKey = s.wsClient(key.secret);
    const keyClosed = closedWith(viaKey);
    const keyFeed = collect(viaKey, FEED);
    const viaToken = s.wsClient(admin);
    const tokenClosed = closedWith(viaToken);
    const tokenFeed = collect(viaToken, FEED);
    // both feeds are live once each has seen an event written after it subscribed
    let n = 0;
    await eventually(async () => {
      await createOrg(`Before revocation ${n++}`);
      await new Promise((r) => setTimeout(r, 250));
      return keyFeed.got.length >= 1 && tokenFeed.got.length >= 1;
    }, 20_000);

    // the gateway caches keys for 30 s here: only its check after the revoking mutation can end the feed this soon
    ok(await s.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: key.apiKey.id }, { token: admin }));
    expect(await Promise.race([keyClosed, new Promise((r) => setTimeout(() => r('still open'), 5000))])).toBe(4401);

    ok(await s.gql(`mutation($id: ID!) { suspendAccount(id: $id) { status } }`, { id: account }, { token: superToken }));
    expect(await Promise.race([tokenClosed, new Promise((r) => setTimeout(() => r('still open'), 5000))])).toBe(4401);
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
