/**
 * The gateway's live fan-out: one upstream feed per account, however many
 * subscribers; every event to every subscriber once, in order; a replaying
 * subscriber handing over to the shared feed without a gap or a double; a
 * client that stops reading closed on its own (4413) while the others go on.
 * The real stack on loopback, observability's in-process bus watched directly.
 */
import WebSocket from 'ws';
import type { Client } from 'graphql-ws';
import { PLATFORM_ACCOUNT_ID, uuidv7 } from '@cockpit/kit';
import { createInProcessLiveBus, ingestEvents, parseEvents } from '@cockpit/observability';
import { TOO_SLOW_REASON } from '../../gateway/src/subscriptions/auth';
import { eventually, ok, startTestStack, type TestStack } from '../support/stack';

const SUBSCRIBERS = 1000;
const MAX_BUFFERED = 64 * 1024;
const FEED = `subscription($after: String, $types: [String!]) { events(after: $after, types: $types) { seq cursor type } }`;

type Seen = { seq: number; cursor: string; type: string };

/** One subscription's events and failures, as they arrive. */
function follow(client: Client, variables: Record<string, unknown> = {}, query = FEED) {
  const got: Seen[] = [];
  const errors: unknown[] = [];
  const stop = client.subscribe<{ events: Seen }>(
    { query, variables },
    {
      next: (r) => (r.data?.events && !r.errors ? got.push(r.data.events) : errors.push(r.errors ?? r)),
      error: (e) => errors.push(e),
      complete: () => {},
    },
  );
  return { got, errors, stop, seqs: () => got.map((e) => e.seq) };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('live fan-out: one upstream feed per account', () => {
  const bus = createInProcessLiveBus();
  let s: TestStack;
  let account: string;
  let admin: string;
  let head = 0;

  /** Records `n` events on the account (or another chain: returns 0) straight into observability's chain (as its ingest route does); returns the last seq. */
  async function record(n: number, payload: Record<string, unknown> = {}, type = 'test.tick', chain = account): Promise<number> {
    const events = Array.from({ length: n }, () => ({
      id: uuidv7(),
      accountId: chain,
      type,
      domain: 'CONSOLE',
      source: 'test',
      actor: { subject: 'test', kind: 'SERVICE' },
      subject: null,
      payload,
      occurredAt: new Date().toISOString(),
    }));
    await ingestEvents(s.subgraphs.observability.orm, bus, parseEvents(events));
    if (chain !== account) return 0;
    head += n;
    return head;
  }

  const upstreams = () => bus.subscriberCount(account);
  let superToken: string;

  beforeAll(async () => {
    s = await startTestStack({ liveBus: bus, live: { maxConnectionsPerAccount: SUBSCRIBERS + 10, maxBufferedBytes: MAX_BUFFERED } });
    superToken = await s.tokenFor('SUPER_ADMIN');
    account = ok(
      await s.gql(
        `mutation { createAccount(input: { name: "Fanout", emailDomain: "fanout.example", planTier: ENTERPRISE }) { id } }`,
        {},
        { token: superToken },
      ),
    ).createAccount.id;
    admin = await s.tokenFor('ADMIN', account);
    // the account's own creation event, recorded through identity's outbox
    head = await eventually(async () => ok(await s.gql(`{ auditLog { totalCount } }`, {}, { token: admin })).auditLog.totalCount);
  }, 120_000);
  afterAll(() => s?.close());

  it(`delivers every event to each of ${SUBSCRIBERS} subscribers once, in order, over one upstream feed subscription`, async () => {
    const subs = Array.from({ length: SUBSCRIBERS }, () => follow(s.wsClient(admin)));
    await eventually(async () => s.gateway.bridge.liveSubscriptionCount === SUBSCRIBERS, 120_000);
    // observability holds one feed subscription for the account, however many subscribers
    await eventually(async () => upstreams() === 1);
    expect(s.gateway.bridge.upstreamFeedCount).toBe(1);
    expect(s.gateway.bridge.groupCount).toBe(1);

    const first = head + 1;
    await record(3);
    await record(2);
    const last = await record(1, {}, 'test.last');
    // delivery is in feed order: a double of any event would arrive before the last one
    await eventually(async () => subs.every((x) => x.got.some((e) => e.seq === last) || x.errors.length > 0), 120_000);
    const wrong = subs.filter((x) => x.errors.length > 0 || x.seqs().join() !== range(first, last).join());
    expect(wrong.map((x) => ({ seqs: x.seqs(), errors: x.errors }))).toEqual([]);
    expect(upstreams()).toBe(1);
    for (const x of subs) x.stop();
    // the last subscriber gone, the upstream subscription goes too
    await eventually(async () => upstreams() === 0 && s.gateway.bridge.upstreamFeedCount === 0);
  }, 180_000);

  it('filters by types in the gateway, still over the one upstream subscription', async () => {
    const client = s.wsClient(admin);
    const all = follow(client);
    const ticks = follow(client, { types: ['test.tick'] });
    const others = follow(client, { types: ['test.other'] });
    await eventually(async () => s.gateway.bridge.liveSubscriptionCount === 3 && upstreams() === 1);
    const first = head + 1;
    await record(2, {}, 'test.other');
    await record(2, {}, 'test.tick');
    const last = await record(1, {}, 'test.other');
    await eventually(async () => all.got.length === 5 && others.got.length === 3);
    expect(all.seqs()).toEqual(range(first, last));
    expect(others.seqs()).toEqual([first, first + 1, last]);
    expect(ticks.seqs()).toEqual([first + 2, first + 3]);
    expect(upstreams()).toBe(1);
    for (const x of [all, ticks, others]) x.stop();
  });

  it('hands a replaying subscriber over to the shared feed without a gap or a double', async () => {
    const live = follow(s.wsClient(admin));
    await eventually(async () => s.gateway.bridge.liveSubscriptionCount === 1 && upstreams() === 1);
    // enough history that the replays are still reading when the next events come live
    const from = head;
    await record(400);
    const cursorOf = await cursors();
    const starts = [from, from + 100, head - 40, head - 10, head - 1];
    for (const seq of starts) expect(cursorOf.get(seq)).toBeDefined();
    const replayers = await Promise.all(
      starts.map((seq) => {
        return { seq, sub: follow(s.wsClient(admin), { after: cursorOf.get(seq) }) };
      }),
    );
    // more events while the replays run, in several commits
    for (let i = 0; i < 5; i++) await record(3);
    const last = await record(1, {}, 'test.last');
    await eventually(async () => [live, ...replayers.map((r) => r.sub)].every((x) => x.got.some((e) => e.seq === last) || x.errors.length));
    for (const r of replayers) {
      expect(r.sub.errors).toEqual([]);
      expect(r.sub.seqs()).toEqual(range(r.seq + 1, last));
    }
    // every replay handed over: only the shared subscription is left upstream
    await eventually(async () => upstreams() === 1);
    // and the next events reach them through it, once
    const next = await record(2);
    await eventually(async () => replayers.every((r) => r.sub.got.some((e) => e.seq === next)));
    for (const r of replayers) expect(r.sub.seqs()).toEqual(range(r.seq + 1, next));
    expect(upstreams()).toBe(1);
    for (const x of [live, ...replayers.map((r) => r.sub)]) x.stop();
  }, 120_000);

  it('hands over without resending what the shared feed still hands out from before the replay position', async () => {
    const live = follow(s.wsClient(admin));
    await eventually(async () => s.gateway.bridge.liveSubscriptionCount === 1 && upstreams() === 1);
    await record(1000);
    await record(1000);
    // replays from among the newest: the group is still resolving and handing out the 2,000 just recorded,
    // so what it holds for a replayer starts before that replayer's `after`
    const newest = ok(await s.gql(`{ auditLog(first: 20) { nodes { seq cursor } } }`, {}, { token: admin })).auditLog.nodes as {
      seq: number;
      cursor: string;
    }[];
    const replayers = newest
      .filter((_, i) => i % 4 === 0)
      .map((n) => ({ seq: n.seq, sub: follow(s.wsClient(admin), { after: n.cursor }) }));
    await record(3);
    const last = await record(1, {}, 'test.last');
    await eventually(
      async () => [live, ...replayers.map((r) => r.sub)].every((x) => x.got.some((e) => e.seq === last) || x.errors.length),
      60_000,
    );
    for (const r of replayers) {
      expect(r.sub.errors).toEqual([]);
      expect(r.sub.seqs()).toEqual(range(r.seq + 1, last));
    }
    for (const x of [live, ...replayers.map((r) => r.sub)]) x.stop();
    await eventually(async () => upstreams() === 0);
  }, 120_000);

  it('resumes the shared feed after the last event heard when its upstream connection drops: nothing committed meanwhile is lost', async () => {
    // every socket observability accepts from now on, so the gateway's feed connection can be cut
    const sockets = new Set<import('node:net').Socket>();
    const track = (socket: import('node:net').Socket) => sockets.add(socket);
    s.subgraphs.observability.httpServer.on('connection', track);
    try {
      const subs = [follow(s.wsClient(admin)), follow(s.wsClient(admin))];
      await eventually(async () => s.gateway.bridge.liveSubscriptionCount === 2 && upstreams() === 1);
      const first = head + 1;
      const heard = await record(2);
      await eventually(async () => subs.every((x) => x.got.some((e) => e.seq === heard)));
      // cut the upstream connection; graphql-ws waits before it reconnects, and these commits land in that gap
      for (const socket of sockets) socket.destroy();
      await eventually(async () => upstreams() === 0);
      await record(3);
      const last = await record(1, {}, 'test.last');
      await eventually(async () => subs.every((x) => x.got.some((e) => e.seq === last) || x.errors.length > 0), 30_000);
      for (const x of subs) {
        expect(x.errors).toEqual([]);
        expect(x.seqs()).toEqual(range(first, last));
      }
      expect(upstreams()).toBe(1);
      for (const x of subs) x.stop();
      await eventually(async () => upstreams() === 0);
    } finally {
      s.subgraphs.observability.httpServer.off('connection', track);
    }
  }, 60_000);

  /** Every recorded event's cursor by seq, paging the audit log. */
  async function cursors(): Promise<Map<number, string>> {
    const bySeq = new Map<number, string>();
    let after: string | null = null;
    for (;;) {
      const page: { nodes: { seq: number; cursor: string }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } } = ok(
        await s.gql(
          `query($after: String) { auditLog(first: 100, after: $after) { nodes { seq cursor } pageInfo { endCursor hasNextPage } } }`,
          { after },
          { token: admin },
        ),
      ).auditLog;
      for (const n of page.nodes) bySeq.set(n.seq, n.cursor);
      if (!page.pageInfo.hasNextPage) return bySeq;
      after = page.pageInfo.endCursor;
    }
  }

  it('follows the platform chain for super admins acting on no account, over its own one upstream subscription', async () => {
    const a = follow(s.wsClient(superToken));
    const b = follow(s.wsClient(superToken));
    await eventually(async () => s.gateway.bridge.liveSubscriptionCount === 2 && bus.subscriberCount(PLATFORM_ACCOUNT_ID) === 1);
    expect(upstreams()).toBe(0);
    await record(2, {}, 'test.platform', PLATFORM_ACCOUNT_ID);
    await eventually(async () => a.got.length >= 2 && b.got.length >= 2);
    expect(a.got.map((e) => e.type)).toEqual(['test.platform', 'test.platform']);
    expect(b.got).toEqual(a.got);
    expect(bus.subscriberCount(PLATFORM_ACCOUNT_ID)).toBe(1);
    a.stop();
    b.stop();
    await eventually(async () => bus.subscriberCount(PLATFORM_ACCOUNT_ID) === 0);
  });

  it("writes one group's frame to every socket with that socket's own id, at every frame size", async () => {
    // raw graphql-transport-ws clients: ids of different lengths, one needing JSON escapes
    const ids = ['1', '4a0c2f4e-6f2b-4b8e-9b7e-0f5d1c2a3b4c', 'id "quoted" \\ é ✓'];
    const query = `subscription { events { seq type payload } }`;
    const sockets = await Promise.all(
      ids.map(async (id) => {
        const ws = new WebSocket(s.wsUrl, 'graphql-transport-ws');
        const messages: any[] = [];
        ws.on('message', (m, binary) => {
          expect(binary).toBe(false);
          const msg = JSON.parse(m.toString());
          if (msg.type === 'connection_ack') ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query } }));
          else messages.push(msg);
        });
        await new Promise<void>((resolve) => ws.on('open', () => resolve()));
        ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${admin}` } }));
        return { id, ws, messages };
      }),
    );
    await eventually(async () => s.gateway.bridge.liveSubscriptionCount === ids.length);
    expect(s.gateway.bridge.groupCount).toBe(1);
    const first = head + 1;
    // frames under 126 bytes, under 64 KiB and over it: the three WebSocket length encodings
    await record(1);
    await record(1, { blob: 'y'.repeat(300) });
    const last = await record(1, { blob: 'z'.repeat(70_000) });
    await eventually(async () => sockets.every((x) => x.messages.length >= 3));
    for (const x of sockets) {
      expect(x.messages.map((m) => [m.type, m.id, m.payload.data.events.seq])).toEqual(
        range(first, last).map((seq) => ['next', x.id, seq]),
      );
      expect(x.messages.map((m) => m.payload)).toEqual(sockets[0].messages.map((m) => m.payload));
    }
    expect(sockets[0].messages[2].payload.data.events.payload.blob).toHaveLength(70_000);
    // the protocol's other messages still go through ws on the same sockets, in order
    sockets[0].ws.send(JSON.stringify({ id: ids[0], type: 'complete' }));
    sockets[0].ws.send(JSON.stringify({ type: 'ping' }));
    await eventually(async () => sockets[0].messages.some((m) => m.type === 'pong'));
    await eventually(async () => s.gateway.bridge.liveSubscriptionCount === ids.length - 1);
    for (const x of sockets) x.ws.close();
    await eventually(async () => s.gateway.bridge.liveSubscriptionCount === 0);
  });

  it('closes a socket that stops reading (4413) once its unsent events pass the cap, without holding up the others', async () => {
    const fast = follow(s.wsClient(admin), {}, `subscription { events { seq cursor type payload } }`);
    // a client that subscribes and then never reads
    const slow = new WebSocket(s.wsUrl, 'graphql-transport-ws');
    const slowGot: number[] = [];
    let slowClosed: { code: number; reason: string } | undefined;
    slow.on('message', (m) => {
      const msg = JSON.parse(m.toString());
      if (msg.type === 'connection_ack')
        slow.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query: `subscription { events { seq payload } }` } }));
      if (msg.type === 'next') slowGot.push(msg.payload.data.events.seq);
    });
    slow.on('close', (code, reason) => (slowClosed = { code, reason: reason.toString() }));
    await new Promise<void>((resolve) => slow.on('open', () => resolve()));
    slow.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${admin}` } }));
    await eventually(async () => s.gateway.bridge.liveSubscriptionCount === 2);
    slow.pause();
    const open = s.gateway.bridge.connectionCount(account);

    const blob = 'x'.repeat(100_000);
    const first = head + 1;
    let rounds = 0;
    // each round: the fast subscriber gets all of it while the slow one's frames pile up, until the gateway gives up on it
    while (s.gateway.bridge.connectionCount(account) === open) {
      if (++rounds > 60) throw new Error('the slow socket was never closed');
      const last = await record(5, { blob });
      await eventually(async () => fast.got.some((e) => e.seq === last) || fast.errors.length > 0, 60_000);
    }
    expect(fast.errors).toEqual([]);
    expect(s.gateway.bridge.liveSubscriptionCount).toBe(1);
    // the slow client, reading again, finds what was sent before the cap, then the close
    slow.resume();
    await eventually(async () => slowClosed);
    expect(slowClosed).toEqual({ code: 4413, reason: TOO_SLOW_REASON });
    expect(slowGot.length).toBeLessThan(head - first + 1);
    expect(slowGot).toEqual(range(first, first + slowGot.length - 1));

    // the fast one has had everything, and goes on
    const last = await record(1);
    await eventually(async () => fast.got.some((e) => e.seq === last));
    expect(fast.seqs()).toEqual(range(first, last));
    fast.stop();
  }, 180_000);
});
