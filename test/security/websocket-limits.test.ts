/**
 * Connection floods and operation floods on the graphql-ws bridge: the
 * per-account cap, the plan's limiter hook (a small fake standing in for the
 * per-plan limiter; the interface is ours), and the bookkeeping behind them.
 * The bridge runs on a real HTTP server and real sockets.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { buildSchema } from 'graphql';
import { createLogger, testKeys, unauthorized, type Principal } from '@cockpit/kit';
import { SubscriptionBridge, type BridgeOptions } from '../../gateway/src/subscriptions/bridge';
import type { ConnectionTicket, EdgeLimiter, RateLimitVerdict } from '../../gateway/src/rate-limit/types';
import { eventually } from '../support/stack';

const ACCOUNT = '0193f000-0000-7000-8000-00000000a001';
const schema = buildSchema(`
  type Query { hello: String }
  type Event { id: ID! seq: Int! }
  type Subscription { events(after: String, types: [String!]): Event! }
`);

const principalFor = (token: string): Principal => {
  const base = { subject: token, teamIds: [], orgIds: [], scopes: [], requestId: 'r' };
  if (token === 'platform') return { ...base, kind: 'SERVICE', accountId: null, roles: ['SUPER_ADMIN'], superAdmin: true };
  if (token === 'member') return { ...base, kind: 'USER', accountId: ACCOUNT, roles: ['ADMIN'], superAdmin: false };
  if (token === 'identity-down') throw new Error('connect ECONNREFUSED');
  throw unauthorized('Invalid token');
};

/** A limiter whose answers the test sets, recording what it was asked. */
class FakeLimiter implements EdgeLimiter {
  connections = { allowed: true, limit: 1 };
  requestsAllowed = true;
  opened = 0;
  released = 0;
  requests = 0;
  async openConnection(): Promise<ConnectionTicket> {
    this.opened++;
    const { allowed, limit } = this.connections;
    return { allowed, limit, release: () => void this.released++ };
  }
  async request(): Promise<RateLimitVerdict> {
    this.requests++;
    return this.requestsAllowed
      ? { allowed: true, limit: 60, remaining: 59, resetSeconds: 60, retryAfterSeconds: 0 }
      : { allowed: false, limit: 60, remaining: 0, resetSeconds: 42, retryAfterSeconds: 42 };
  }
}

async function startBridge(opts: Partial<BridgeOptions>) {
  const bridge = new SubscriptionBridge({
    authenticate: async (c) => principalFor(c.authorization?.replace(/^Bearer /, '') ?? ''),
    apiSchema: () => schema,
    execute: async () => ({ data: { hello: 'world' } }),
    feedUrl: () => 'ws://127.0.0.1:1/unused',
    internalKey: testKeys().privateKey,
    allowedOrigins: [],
    log: createLogger('bridge-test', 'silent'),
    ...opts,
  });
  const server: Server = createServer((_req, res) => res.end());
  server.on('upgrade', (req, socket, head) => bridge.handleUpgrade(req, socket, head));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return {
    bridge,
    url,
    async close() {
      await bridge.close();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A graphql-ws socket after `connection_init` as `token`: acked, or closed with a code and reason. */
function connect(url: string, token: string) {
  const ws = new WebSocket(url, 'graphql-transport-ws');
  const messages: any[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  ws.on('message', (m) => messages.push(JSON.parse(m.toString())));
  const ready = new Promise<boolean>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    ws.on('message', () => messages.some((m) => m.type === 'connection_ack') && resolve(true));
    void closed.then(() => resolve(false));
  });
  const send = (msg: unknown) => ws.send(JSON.stringify(msg));
  return { ws, messages, closed, ready, send };
}

describe('graphql-ws connection and operation limits', () => {
  it('platform sockets (no account) opened and closed past the cap are all admitted: their count goes down on close', async () => {
    const b = await startBridge({ maxConnectionsPerAccount: 3 });
    try {
      for (let i = 0; i < 7; i++) {
        const c = connect(b.url, 'platform');
        expect(await c.ready).toBe(true);
        c.ws.close();
        await c.closed;
        await eventually(async () => b.bridge.connectionCount(null) === 0);
      }
      // the cap itself still holds for sockets open at once
      const open = [connect(b.url, 'platform'), connect(b.url, 'platform'), connect(b.url, 'platform')];
      expect(await Promise.all(open.map((c) => c.ready))).toEqual([true, true, true]);
      const fourth = connect(b.url, 'platform');
      expect(await fourth.ready).toBe(false);
      expect(await fourth.closed).toEqual({ code: 4429, reason: 'Too many connections for this account' });
      for (const c of open) c.ws.close();
      await eventually(async () => b.bridge.connectionCount(null) === 0);
    } finally {
      await b.close();
    }
  });

  it("a connection flood past the plan's limit is closed 4429 with the limit, and each admitted ticket is released exactly once", async () => {
    const limiter = new FakeLimiter();
    const b = await startBridge({ limiter });
    try {
      const first = connect(b.url, 'member');
      expect(await first.ready).toBe(true);
      limiter.connections = { allowed: false, limit: 1 };
      const second = connect(b.url, 'member');
      expect(await second.ready).toBe(false);
      expect(await second.closed).toEqual({ code: 4429, reason: "Your plan's connection limit is reached (1 open connections)" });
      expect(limiter.opened).toBe(2);
      expect(limiter.released).toBe(0); // a refused ticket held nothing
      first.ws.close();
      await first.closed;
      await eventually(async () => limiter.released === 1);
      expect(b.bridge.connectionCount(ACCOUNT)).toBe(0);
      // a socket the server closes (shutdown: 1001) releases its ticket once too
      limiter.connections = { allowed: true, limit: 1 };
      const third = connect(b.url, 'member');
      expect(await third.ready).toBe(true);
      await b.bridge.close();
      await third.closed;
      await eventually(async () => limiter.released === 2);
      expect(limiter.released).toBe(2);
    } finally {
      await b.close();
    }
  });

  it('the per-account cap still applies with a limiter, before the limiter is asked', async () => {
    const limiter = new FakeLimiter();
    const b = await startBridge({ limiter, maxConnectionsPerAccount: 1 });
    try {
      const first = connect(b.url, 'member');
      expect(await first.ready).toBe(true);
      const second = connect(b.url, 'member');
      expect(await second.closed).toEqual({ code: 4429, reason: 'Too many connections for this account' });
      expect(limiter.opened).toBe(1);
      first.ws.close();
      await eventually(async () => limiter.released === 1);
    } finally {
      await b.close();
    }
  });

  it('a credential that cannot be checked (identity unreachable) closes 1013 "try again later", not 4401', async () => {
    const b = await startBridge({});
    try {
      expect(await connect(b.url, 'identity-down').closed).toEqual({ code: 1013, reason: 'Could not check the credential; try again' });
      expect(await connect(b.url, 'forged').closed).toEqual({ code: 4401, reason: 'Unauthorized' });
    } finally {
      await b.close();
    }
  });

  it('an operation flood past the rate limit is answered per operation with RATE_LIMITED and the retry-after seconds', async () => {
    const limiter = new FakeLimiter();
    const b = await startBridge({ limiter });
    try {
      const c = connect(b.url, 'member');
      expect(await c.ready).toBe(true);
      c.send({ type: 'subscribe', id: 'ok', payload: { query: '{ hello }' } });
      await eventually(async () => c.messages.some((m) => m.id === 'ok' && m.type === 'complete'));
      expect(c.messages.find((m) => m.id === 'ok' && m.type === 'next').payload).toEqual({ data: { hello: 'world' } });

      limiter.requestsAllowed = false;
      c.send({ type: 'subscribe', id: 'flood', payload: { query: 'subscription { events { seq } }' } });
      const refused = await eventually(async () => c.messages.find((m) => m.id === 'flood'));
      expect(refused.type).toBe('error');
      expect(refused.payload).toEqual([
        {
          message: 'Rate limit reached (60 requests per minute); retry in 42 s',
          extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 42, limit: 60, resetSeconds: 42 },
        },
      ]);
      expect(limiter.requests).toBe(2);
      // the socket stays open and the id is free again
      limiter.requestsAllowed = true;
      c.send({ type: 'subscribe', id: 'flood', payload: { query: '{ hello }' } });
      await eventually(async () => c.messages.some((m) => m.id === 'flood' && m.type === 'complete'));
      expect(c.ws.readyState).toBe(WebSocket.OPEN);
      c.ws.close();
    } finally {
      await b.close();
    }
  });
});
