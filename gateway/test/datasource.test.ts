import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ALSO_RECORDED_HEADER, INTERNAL_TOKEN_HEADER, testKeys, testLogger, verifyInternalToken, type Principal } from '@cockpit/kit';
import { InternalDataSource, type AlsoRecorded, type GatewayContext } from '../src/datasource';

/**
 * The gateway's subgraph client against real HTTP servers on loopback: what it
 * sends (the internal token, the request id, the operation), what it hands on
 * (the answer, the ALSO_RECORDED hint), how a subgraph that refuses
 * connections, hangs, fails or answers too much becomes an UPSTREAM_ERROR
 * naming only the service, on the path of every field the fetch would have
 * filled, and how its circuit breaker opens, refuses at once and probes.
 */
describe('InternalDataSource', () => {
  const keys = testKeys();
  const principal: Principal = {
    subject: 'u-1',
    kind: 'USER',
    accountId: 'acc-1',
    roles: ['ADMIN'],
    teamIds: [],
    orgIds: [],
    scopes: [],
    superAdmin: false,
    requestId: 'req-1',
  };
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const serve = async (handler: (req: IncomingMessage, body: string, res: ServerResponse) => void) => {
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => handler(req, body, res));
    });
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  };
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  const call = (ds: InternalDataSource, query = '{ account { name } }', variables: Record<string, unknown> = { a: 1 }) =>
    ds.process({
      kind: 'incoming operation' as GraphQLDataSourceProcessOptions['kind'] & 'incoming operation',
      request: { query, variables },
      context: { principal, requestId: principal.requestId } satisfies GatewayContext,
      incomingRequestContext: {} as never,
      document: undefined as never,
      pathInIncomingRequest: [],
    });
  /** The one error a failed fetch of `{ account { name } }` answers: on `account`, no data. */
  const failure = async (p: ReturnType<typeof call>) => {
    const res = await p;
    expect(res.data).toBeUndefined();
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].path).toEqual(['account']);
    return { code: res.errors![0].extensions?.code, message: res.errors![0].message };
  };

  it('sends the operation with an internal token for the subgraph and the request id, and hands on the answer and ALSO_RECORDED', async () => {
    let seen: { token?: string; requestId?: string; body?: unknown } = {};
    const events: AlsoRecorded[] = [{ type: 'credentials.changed', accountId: 'acc-1', payload: { reason: 'API_KEY' } }];
    const url = await serve((req, body, res) => {
      seen = {
        token: req.headers[INTERNAL_TOKEN_HEADER] as string,
        requestId: req.headers['x-request-id'] as string,
        body: JSON.parse(body),
      };
      res.writeHead(200, { 'content-type': 'application/json', [ALSO_RECORDED_HEADER]: JSON.stringify(events) });
      res.end(JSON.stringify({ data: { account: { name: 'Acme' } } }));
    });
    const recorded: AlsoRecorded[][] = [];
    const ds = new InternalDataSource('identity', url, keys.privateKey, testLogger(), { onAlsoRecorded: (e) => recorded.push(e) });

    const res = await call(ds);
    expect(res.data).toEqual({ account: { name: 'Acme' } });
    expect(recorded).toEqual([events]);
    expect(seen.requestId).toBe('req-1');
    expect(seen.body).toEqual({ query: '{ account { name } }', variables: { a: 1 } });
    const carried = await verifyInternalToken(keys.publicKey, 'identity', seen.token);
    expect(carried).toMatchObject({ subject: 'u-1', accountId: 'acc-1', roles: ['ADMIN'] });
    // a token for another subgraph is not this one
    await expect(verifyInternalToken(keys.publicKey, 'budgets', seen.token)).rejects.toThrow();

    // the connection is kept: a second call answers the same over it
    expect((await call(ds)).data).toEqual({ account: { name: 'Acme' } });
  });

  it('a subgraph refusing connections is unavailable, without its address', async () => {
    const url = await serve(() => {});
    await new Promise((r) => servers.pop()!.close(r));
    const err = await failure(call(new InternalDataSource('budgets', url, keys.privateKey, testLogger())));
    expect(err.code).toBe('UPSTREAM_ERROR');
    expect(err.message).toBe('The budgets service is unavailable');
  });

  it('a subgraph that accepts and never answers has not answered in time', async () => {
    const url = await serve(() => {}); // reads the request, never responds
    const ds = new InternalDataSource('catalog', url, keys.privateKey, testLogger(), {
      timeoutMs: 200,
      breaker: { failures: 2, cooldownMs: 60_000 },
    });
    const err = await failure(call(ds));
    expect(err.code).toBe('UPSTREAM_ERROR');
    expect(err.message).toBe('The catalog service did not answer in time');
    // slow is not dead: timeouts never open the breaker
    await failure(call(ds));
    await failure(call(ds));
    expect(ds.breaker.state).toBe('closed');
  });

  it('a subgraph that sends its headers and stalls in the body has not answered in time', async () => {
    const url = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":');
    });
    const ds = new InternalDataSource('guardrails', url, keys.privateKey, testLogger(), { timeoutMs: 200 });
    const err = await failure(call(ds));
    expect(err.message).toBe('The guardrails service did not answer in time');
  });

  it('a 5xx answer is an UPSTREAM_ERROR with its status and nothing of its body', async () => {
    const url = await serve((_req, _body, res) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway at 10.0.0.7');
    });
    const ds = new InternalDataSource('observability', url, keys.privateKey, testLogger());
    expect(await failure(call(ds))).toEqual({ code: 'UPSTREAM_ERROR', message: 'The observability service failed (HTTP 502)' });
  });

  it('a failed entity fetch answers an error on each field it would have filled, per representation', async () => {
    const url = await serve(() => {});
    await new Promise((r) => servers.pop()!.close(r));
    const query =
      'query($representations:[_Any!]!){_entities(representations:$representations){...on Account{__typename budgetPlan{monthlyCredits} spent:budget{used}}...on Org{budget{used}}}}';
    const representations = [
      { __typename: 'Account', id: 'a1' },
      { __typename: 'Org', id: 'o1' },
      { __typename: 'Account', id: 'a2' },
    ];
    const res = await call(new InternalDataSource('budgets', url, keys.privateKey, testLogger()), query, { representations });
    expect(res.errors!.map((e) => e.path)).toEqual([
      ['_entities', 0, 'budgetPlan'],
      ['_entities', 0, 'spent'],
      ['_entities', 1, 'budget'],
      ['_entities', 2, 'budgetPlan'],
      ['_entities', 2, 'spent'],
    ]);
    expect(new Set(res.errors!.map((e) => e.extensions?.code))).toEqual(new Set(['UPSTREAM_ERROR']));
  });

  it('an answer larger than the cap fails its fetch, declared or streamed', async () => {
    const big = JSON.stringify({ data: { account: { name: 'x'.repeat(64 * 1024) } } });
    const declared = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(big) });
      res.end(big);
    });
    const streamed = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length
      for (let i = 0; i < big.length; i += 4096) res.write(big.slice(i, i + 4096));
      res.end();
    });
    for (const url of [declared, streamed]) {
      const ds = new InternalDataSource('identity', url, keys.privateKey, testLogger(), { maxResponseBytes: 16 * 1024 });
      expect(await failure(call(ds))).toEqual({
        code: 'UPSTREAM_ERROR',
        message: "The identity service's answer is larger than 16384 bytes",
      });
      // under the cap the same answer passes whole
      const roomy = new InternalDataSource('identity', url, keys.privateKey, testLogger(), { maxResponseBytes: 128 * 1024 });
      expect((await call(roomy)).data).toEqual(JSON.parse(big).data);
    }
  });

  it('consecutive failures open the breaker: calls fail at once without reaching the subgraph, then one probe closes it', async () => {
    let hits = 0;
    let healthy = false;
    let release: (() => void) | null = null;
    const url = await serve((_req, _body, res) => {
      hits++;
      const answer = () => {
        res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify(healthy ? { data: { account: { name: 'Up' } } } : { errors: [{ message: 'down' }] }));
      };
      if (healthy && !release) release = answer;
      else answer();
    });
    const ds = new InternalDataSource('catalog', url, keys.privateKey, testLogger(), { breaker: { failures: 3, cooldownMs: 300 } });
    for (let i = 0; i < 3; i++) expect((await failure(call(ds))).message).toBe('The catalog service failed (HTTP 503)');
    expect(ds.breaker.state).toBe('open');
    // open: refused here, the subgraph never sees them
    for (let i = 0; i < 5; i++)
      expect(await failure(call(ds))).toEqual({ code: 'UPSTREAM_ERROR', message: 'The catalog service is unavailable' });
    expect(hits).toBe(3);

    await new Promise((r) => setTimeout(r, 350));
    healthy = true;
    // half-open: the first call is the probe (held by the subgraph), the second is still refused
    const probe = call(ds);
    await new Promise((r) => setTimeout(r, 50));
    expect(hits).toBe(4);
    expect((await failure(call(ds))).message).toBe('The catalog service is unavailable');
    expect(hits).toBe(4);
    release!();
    expect((await probe).data).toEqual({ account: { name: 'Up' } });
    expect(ds.breaker.state).toBe('closed');
    expect((await call(ds)).data).toEqual({ account: { name: 'Up' } });
    expect(hits).toBe(5);
  });

  it('a failed probe opens the breaker for another cooldown', async () => {
    let hits = 0;
    const url = await serve((_req, _body, res) => {
      hits++;
      res.writeHead(503);
      res.end();
    });
    const ds = new InternalDataSource('guardrails', url, keys.privateKey, testLogger(), { breaker: { failures: 2, cooldownMs: 200 } });
    await call(ds);
    await call(ds);
    expect(ds.breaker.state).toBe('open');
    await new Promise((r) => setTimeout(r, 250));
    await call(ds); // the probe fails
    expect(hits).toBe(3);
    expect(ds.breaker.state).toBe('open');
    await call(ds);
    expect(hits).toBe(3);
  });
});
