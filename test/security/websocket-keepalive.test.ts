import WebSocket from 'ws';
import { eventually, ok, startTestStack, type TestStack } from '../support/stack';

/**
 * The gateway pings every graphql-ws socket and terminates one that missed its pong by the next round: a client
 * that vanished without closing (a dropped network, a suspended laptop) does not keep its socket, its admission
 * slot and its subscriptions forever. A client that answers pings stays.
 */
describe('graphql-ws keep-alive', () => {
  let s: TestStack;
  let admin: string;

  beforeAll(async () => {
    s = await startTestStack({ live: { pingMs: 400 } });
    const account = ok(
      await s.gql(
        `mutation { createAccount(input: { name: "Alive", emailDomain: "alive.example", planTier: TEAM }) { id } }`,
        {},
        { token: s.masterKey },
      ),
    ).createAccount.id;
    admin = await s.tokenFor('ADMIN', account);
  });
  afterAll(() => s?.close());

  /**
   * A graphql-ws connection, initialised; `autoPong: false` is a client that no longer answers. Pings are counted
   * from the start, and `ready` is the ack (or the close, for a silent socket terminated before it came).
   */
  const connect = (autoPong: boolean) => {
    const ws = new WebSocket(s.wsUrl, 'graphql-transport-ws', { autoPong });
    let pings = 0;
    ws.on('ping', () => pings++);
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    const acked = new Promise<void>((resolve) => ws.on('message', (m) => String(m).includes('connection_ack') && resolve()));
    ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${admin}` } })));
    return { ws, closed, acked, pings: () => pings };
  };

  it('terminates a socket that stops answering pings and keeps one that answers', async () => {
    const silent = connect(false);
    const alive = connect(true);
    await alive.acked;

    // terminated (no close frame: 1006) after one unanswered ping and the next round
    expect(await silent.closed).toBe(1006);
    expect(silent.pings()).toBeGreaterThanOrEqual(1);
    await eventually(async () => s.gateway.bridge.socketCount === 1);

    // the answering client has been pinged over several rounds and is still served
    await eventually(async () => alive.pings() >= 3);
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
    alive.ws.send(JSON.stringify({ type: 'ping' }));
    await new Promise<void>((resolve) => alive.ws.on('message', (m) => String(m) === '{"type":"pong"}' && resolve()));
    alive.ws.close();
  });
});
