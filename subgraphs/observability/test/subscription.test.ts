import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { encodeCursor, principal, signInternalToken, type OutboxEvent, type Principal } from '@cockpit/kit';
import { EVENT_FIELDS, makeEvent, startObservability } from './helpers';

describe('observability: live feed over graphql-ws (§4)', () => {
  let env: Awaited<ReturnType<typeof startObservability>>;
  const accountA = '0193f000-0000-7000-8000-0000000002a1';
  const accountB = '0193f000-0000-7000-8000-0000000002b1';
  const viewerA = principal({ accountId: accountA, roles: ['VIEWER'] });
  const clients: Client[] = [];

  beforeAll(async () => {
    env = await startObservability();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });
  afterAll(() => env.close());

  const connect = (who: Principal) => {
    const client = createClient({
      url: env.wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: async () => ({ token: await signInternalToken(env.keys.privateKey, 'observability', who) }),
    });
    clients.push(client);
    return client;
  };

  /** Subscribes and collects every result; `stop()` completes the subscription. */
  function collect(client: Client, query: string, variables: Record<string, unknown> = {}) {
    const results: any[] = [];
    const errors: unknown[] = [];
    const stop = client.subscribe(
      { query, variables },
      { next: (r) => results.push(r), error: (e) => errors.push(e), complete: () => undefined },
    );
    const events = () => results.map((r) => r.data?.events);
    return { results, errors, stop, events };
  }

  async function until(cond: () => boolean, what: string, ms = 5000) {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  const listening = (accountId: string, n = 1) => until(() => env.bus.subscriberCount(accountId) >= n, 'the feed to listen');
  const settle = () => new Promise((r) => setTimeout(r, 150));
  const ingest = async (events: OutboxEvent[]) => expect((await env.ingest(events)).body.accepted).toBe(events.length);

  const SUB = `subscription($after: String, $types: [String!]) { events(after: $after, types: $types) { ${EVENT_FIELDS} } }`;
  const SUB_IDS = `subscription($after: String, $types: [String!]) { events(after: $after, types: $types) { id seq cursor } }`;

  let lastCursor: string;
  let sent: OutboxEvent[] = [];

  it("streams the account's live events in order, every field resolved, nothing from other accounts", async () => {
    const feed = collect(connect(viewerA), SUB);
    await listening(accountA);
    sent = [
      makeEvent(accountA, { payload: { n: 1 } }),
      makeEvent(accountA, { payload: { n: 2 } }),
      makeEvent(accountA, { payload: { n: 3 } }),
    ];
    await ingest([sent[0], makeEvent(accountB)]);
    await ingest(sent.slice(1));
    await until(() => feed.results.length >= 3, 'three events');
    await settle();
    expect(feed.errors).toEqual([]);
    expect(feed.results.every((r) => r.errors === undefined)).toBe(true);
    const got = feed.events();
    expect(got.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(got.map((e) => e.id)).toEqual(sent.map((e) => e.id));
    expect(got[2]).toMatchObject({
      cursor: encodeCursor('3'),
      type: 'budget.plan.set',
      domain: 'COPILOT',
      actor: { subject: 'user-1', kind: 'USER' },
      subjectType: 'BudgetPlan',
      subjectId: accountA,
      payload: { n: 3 },
      account: { id: accountA },
    });
    expect(got[2].prevHash).toBe(got[1].hash);
    lastCursor = got[2].cursor;
    feed.stop();
    // completing the subscription releases its bus listener at once, with no event needed to wake it
    await until(() => env.bus.subscriberCount(accountA) === 0, 'the listener to be released');
  });

  it('after reconnecting with the last cursor, receives exactly the missed events in order, then live ones', async () => {
    const missed = [makeEvent(accountA), makeEvent(accountA), makeEvent(accountA)];
    await ingest(missed.slice(0, 2));
    await ingest(missed.slice(2));
    const feed = collect(connect(viewerA), SUB_IDS, { after: lastCursor });
    // more events land while the feed replays
    const racing = [makeEvent(accountA), makeEvent(accountA)];
    await Promise.all([ingest(racing.slice(0, 1)), ingest(racing.slice(1))]);
    await until(() => feed.results.length >= 5, 'five events');
    await listening(accountA);
    const live = makeEvent(accountA);
    await ingest([live]);
    await until(() => feed.results.length >= 6, 'the live event');
    await settle();
    const got = feed.events();
    expect(got.map((e) => e.seq)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(new Set(got.map((e) => e.id))).toEqual(new Set([...missed, ...racing, live].map((e) => e.id)));
    expect(got.map((e) => e.cursor)).toEqual(got.map((e) => encodeCursor(String(e.seq))));
  });

  it('never gaps or doubles while events pour in during the replay', async () => {
    const account = '0193f000-0000-7000-8000-0000000002c1';
    const admin = principal({ accountId: account, roles: ['ADMIN'] });
    await ingest(Array.from({ length: 30 }, () => makeEvent(account)));
    const feeds = [
      collect(connect(admin), SUB_IDS, { after: encodeCursor('0') }),
      collect(connect(admin), SUB_IDS, { after: encodeCursor('17') }),
    ];
    for (let i = 0; i < 10; i++) await ingest([makeEvent(account), makeEvent(account)]);
    await until(() => feeds[0].results.length >= 50 && feeds[1].results.length >= 33, 'the whole chain');
    await settle();
    expect(feeds[0].events().map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(feeds[1].events().map((e) => e.seq)).toEqual(Array.from({ length: 33 }, (_, i) => i + 18));
  });

  it('filters by type, in the replay and live', async () => {
    const account = '0193f000-0000-7000-8000-0000000002d1';
    const admin = principal({ accountId: account, roles: ['ADMIN'] });
    await ingest([makeEvent(account, { type: 'apikey.create' }), makeEvent(account), makeEvent(account, { type: 'apikey.revoke' })]);
    const feed = collect(connect(admin), SUB_IDS, { after: encodeCursor('0'), types: ['apikey.create', 'apikey.revoke'] });
    await until(() => feed.results.length >= 2, 'the replay');
    await listening(account);
    await ingest([makeEvent(account), makeEvent(account, { type: 'apikey.create' })]);
    await until(() => feed.results.length >= 3, 'the live event');
    await settle();
    expect(feed.events().map((e) => e.seq)).toEqual([1, 3, 5]);
  });

  it('answers a principal with no account with INVALID_REQUEST, masked like any API error', async () => {
    const feed = collect(connect(principal({ roles: ['VIEWER'] })), SUB_IDS);
    await until(() => feed.results.length > 0, 'the error');
    expect(feed.results[0].errors[0]).toEqual({
      message: expect.any(String),
      locations: expect.any(Array),
      path: ['events'],
      extensions: { code: 'INVALID_REQUEST', requestId: expect.any(String) },
    });
  });

  /** Opens a raw graphql-ws socket, sends connection_init and resolves with the close code. */
  function closeCodeFor(payload: Record<string, unknown> | null, headers: Record<string, string> = {}): Promise<number | string> {
    return new Promise((resolve) => {
      const ws = new WebSocket(env.wsUrl, 'graphql-transport-ws', { headers });
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload })));
      ws.on('message', (m) => {
        if (JSON.parse(m.toString()).type === 'connection_ack') {
          ws.close(1000);
          resolve('acknowledged');
        }
      });
      ws.on('close', (code) => resolve(code));
      ws.on('unexpected-response', (_req, res) => resolve(`http ${res.statusCode}`));
    });
  }

  it('closes with 4401 without a valid internal token, and 4403 for a principal who may not subscribe', async () => {
    expect(await closeCodeFor(null)).toBe(4401);
    expect(await closeCodeFor({ token: 'not-a-jwt' })).toBe(4401);
    expect(await closeCodeFor({ token: await signInternalToken(env.keys.privateKey, 'budgets', viewerA) })).toBe(4401);
    const endUser = principal({ accountId: accountA, roles: ['END_USER'] });
    expect(await closeCodeFor({ token: await signInternalToken(env.keys.privateKey, 'observability', endUser) })).toBe(4403);
    expect(await closeCodeFor({ token: await signInternalToken(env.keys.privateKey, 'observability', viewerA) })).toBe('acknowledged');
  });

  it('refuses browsers (any Origin) on this internal endpoint', async () => {
    const token = await signInternalToken(env.keys.privateKey, 'observability', viewerA);
    expect(await closeCodeFor({ token }, { origin: 'https://evil.example' })).toBe('http 401');
  });
});
