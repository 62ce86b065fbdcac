/**
 * Attacks on the gateway's graphql-ws endpoint by a client that may not even be
 * authenticated: after each, the gateway must still answer HTTP and a fresh
 * graphql-ws client must still subscribe and receive events.
 */
import { eventually, ok, startTestStack, type TestStack } from '../support/stack';
import { frame, OP, rawWebSocket, type RawWebSocket } from './raw-websocket';

const MiB = 1024 * 1024;

describe('the WebSocket endpoint survives hostile frames (fuzz)', () => {
  let s: TestStack;
  let admin: string;
  /** The cursor of the account's first event: subscribing after it replays the second at once. */
  let replayFrom: string;

  beforeAll(async () => {
    s = await startTestStack();
    const superToken = await s.tokenFor('SUPER_ADMIN');
    const account = ok(
      await s.gql(
        `mutation { createAccount(input: { name: "Fuzz", emailDomain: "fuzz.example", planTier: TEAM }) { id } }`,
        {},
        { token: superToken },
      ),
    ).createAccount.id;
    admin = await s.tokenFor('ADMIN', account);
    ok(await s.gql(`mutation { createOrg(input: { name: "Fuzzed", domain: COPILOT }) { id } }`, {}, { token: admin }));
    const log = await eventually(async () => {
      const l = ok(await s.gql(`{ auditLog(first: 2) { totalCount edges { node { seq cursor } } } }`, {}, { token: admin })).auditLog;
      return l.totalCount === 2 && l;
    });
    replayFrom = log.edges.find((e: any) => e.node.seq === 1).node.cursor;
    // a whole stack and an OpenID provider: slow to start on a loaded machine
  }, 120_000);
  afterAll(() => s?.close());

  /** The gateway answers HTTP, and a new graphql-ws client subscribes and receives an event. */
  async function stillServing() {
    expect(ok(await s.gql(`{ __typename }`, {}, { token: admin }))).toEqual({ __typename: 'Query' });
    const client = s.wsClient(admin);
    const first = await new Promise((resolve, reject) => {
      const stop = client.subscribe(
        { query: `subscription($a: String) { events(after: $a) { seq type } }`, variables: { a: replayFrom } },
        {
          next: (r) => {
            stop();
            resolve(r);
          },
          error: reject,
          complete: () => reject(new Error('completed without an event')),
        },
      );
    });
    expect(first).toEqual({ data: { events: { seq: 2, type: 'org.created' } } });
    await client.dispose();
  }

  const open = () => rawWebSocket(s.wsUrl);
  const init = async (ws: RawWebSocket) => {
    ws.write(frame(OP.text, JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${admin}` } })));
    await eventually(async () => ws.messages.includes('{"type":"connection_ack"}'));
  };

  it('a frame announcing more than the 1 MiB payload cap closes that socket with 1009, not the process', async () => {
    const ws = await open();
    ws.write(frame(OP.text, Buffer.alloc(1024, 0x61), { declaredLength: 2 * MiB }));
    expect((await ws.closed).code).toBe(1009);
    await stillServing();
  });

  it('a fragment flood past the payload cap closes with 1009', async () => {
    const ws = await open();
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    ws.write(frame(OP.text, chunk, { fin: false }));
    for (let i = 0; i < 20; i++) ws.write(frame(OP.continuation, chunk, { fin: false }));
    expect((await ws.closed).code).toBe(1009);
    await stillServing();
  });

  it('ten thousand one-byte fragments are one (invalid) message, answered 4400', async () => {
    const ws = await open();
    ws.write(frame(OP.text, 'x', { fin: false }));
    const parts = Array.from({ length: 10_000 }, () => frame(OP.continuation, 'x', { fin: false }));
    ws.write(Buffer.concat([...parts, frame(OP.continuation, 'x')]));
    expect((await ws.closed).code).toBe(4400);
    await stillServing();
  });

  it('a text frame with invalid UTF-8 closes with 1007', async () => {
    const ws = await open();
    ws.write(frame(OP.text, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])));
    expect((await ws.closed).code).toBe(1007);
    await stillServing();
  });

  it('an unmasked client frame and an oversized control frame close with 1002', async () => {
    const unmasked = await open();
    unmasked.write(frame(OP.text, '{"type":"connection_init"}', { mask: false }));
    expect((await unmasked.closed).code).toBe(1002);
    const longPing = await open();
    longPing.write(frame(OP.ping, Buffer.alloc(200)));
    expect((await longPing.closed).code).toBe(1002);
    await stillServing();
  });

  it('binary frames of garbage are refused with 4400', async () => {
    const ws = await open();
    ws.write(frame(OP.binary, Buffer.from([0x00, 0xff, 0x13, 0x37, 0x80])));
    expect((await ws.closed).code).toBe(4400);
    await stillServing();
  });

  it('a half-open socket (upgraded, then silent) is served around and closed at the init timeout with 4408', async () => {
    const ws = await open();
    await stillServing();
    expect((await ws.closed).code).toBe(4408);
  });

  it('a socket destroyed in the middle of a frame leaves nothing broken', async () => {
    const ws = await open();
    const whole = frame(OP.text, JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${admin}` } }));
    ws.write(whole.subarray(0, 7));
    ws.socket.destroy();
    const mid = await open();
    await init(mid);
    mid.write(frame(OP.text, Buffer.alloc(5000, 0x20), { declaredLength: 100_000 }).subarray(0, 3000));
    mid.socket.destroy();
    await stillServing();
  });

  it.each([
    ['not JSON', 'hello', 4400],
    ['JSON null', 'null', 4400],
    ['a JSON array', '[1,2]', 4400],
    ['a JSON number', '42', 4400],
    ['a type that is an object', '{"type":{}}', 4400],
    ['a subscribe before connection_init', '{"type":"subscribe","id":"1","payload":{"query":"{ __typename }"}}', 4401],
    ['deeply nested JSON', `{"type":"connection_init","payload":${'['.repeat(200_000)}${']'.repeat(200_000)}}`, 4401],
  ])('garbage before connection_init (%s) closes that socket only', async (_name, text, code) => {
    const ws = await open();
    ws.write(frame(OP.text, text));
    expect((await ws.closed).code).toBe(code);
    await stillServing();
  });

  it.each([
    ['JSON null', 'null', 4400],
    ['a second connection_init', '{"type":"connection_init"}', 4429],
    ['a subscribe without an id', '{"type":"subscribe","payload":{"query":"subscription { events { seq } }"}}', 4400],
    ['a subscribe whose payload is a string', '{"type":"subscribe","id":"1","payload":"subscription { events { seq } }"}', 4400],
  ])('garbage after connection_init (%s) closes that socket only', async (_name, text, code) => {
    const ws = await open();
    await init(ws);
    ws.write(frame(OP.text, text));
    expect((await ws.closed).code).toBe(code);
    await stillServing();
  });

  it('odd operation fields after connection_init are answered with an error, the socket stays', async () => {
    const ws = await open();
    await init(ws);
    const sub = (id: string, payload: unknown) => ws.write(frame(OP.text, JSON.stringify({ type: 'subscribe', id, payload })));
    sub('v', { query: 'subscription { events { seq } }', variables: 'oops' });
    sub('o', { query: 'subscription { events { seq } }', operationName: { not: 'a name' } });
    sub('n', { query: 'subscription { events { seq } }', variables: [1] });
    await eventually(async () => ws.messages.filter((m) => JSON.parse(m).type === 'error').length === 3);
    for (const m of ws.messages.slice(1)) expect(JSON.parse(m).payload[0].extensions.code).toBe('INVALID_REQUEST');
    ws.write(frame(OP.text, '{"type":"ping"}'));
    await eventually(async () => ws.messages.includes('{"type":"pong"}'));
    ws.socket.destroy();
    await stillServing();
  });

  it('a huge connection_init payload (900 KB token) is refused with 4401', async () => {
    const ws = await open();
    ws.write(
      frame(
        OP.text,
        JSON.stringify({
          type: 'connection_init',
          payload: { authorization: `Bearer ${'a'.repeat(900_000)}`, accountId: 'x'.repeat(10_000) },
        }),
      ),
    );
    expect((await ws.closed).code).toBe(4401);
    await stillServing();
  });

  it("observability's internal feed socket closes oversized and invalid frames with their status, without logging an internal error", async () => {
    const feed = s.subgraphUrls.observability.replace(/^http/, 'ws');
    const consoleError = jest.spyOn(console, 'error');
    try {
      const big = await rawWebSocket(feed);
      big.write(frame(OP.text, Buffer.alloc(1024), { declaredLength: 4 * MiB }));
      expect((await big.closed).code).toBe(1009);
      const utf8 = await rawWebSocket(feed);
      utf8.write(frame(OP.text, Buffer.from([0xc3, 0x28])));
      expect((await utf8.closed).code).toBe(1007);
      await stillServing();
      // a client's bad frame is not an internal error: no stack trace on the console
      expect(consoleError).not.toHaveBeenCalled();
    } finally {
      consoleError.mockRestore();
    }
  });
});
