import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  ALSO_RECORDED_HEADER,
  CockpitError,
  INTERNAL_TOKEN_HEADER,
  testKeys,
  testLogger,
  verifyInternalToken,
  type Principal,
} from '@cockpit/kit';
import { InternalDataSource, type AlsoRecorded, type GatewayContext } from '../src/datasource';

/**
 * The gateway's subgraph client against real HTTP servers on loopback: what it
 * sends (the internal token, the request id, the operation), what it hands on
 * (the answer, the ALSO_RECORDED hint), and how a subgraph that refuses
 * connections, hangs or fails becomes an UPSTREAM_ERROR naming only the service.
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

  const call = (ds: InternalDataSource, query = '{ account { name } }') =>
    ds.process({
      kind: 'incoming operation' as GraphQLDataSourceProcessOptions['kind'] & 'incoming operation',
      request: { query, variables: { a: 1 } },
      context: { principal, requestId: principal.requestId } satisfies GatewayContext,
      incomingRequestContext: {} as never,
      document: undefined as never,
      pathInIncomingRequest: [],
    });
  const failure = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CockpitError);
    return err as CockpitError;
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
    const ds = new InternalDataSource('identity', url, keys.privateKey, testLogger(), (e) => recorded.push(e));

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
    const ds = new InternalDataSource('catalog', url, keys.privateKey, testLogger(), undefined, 200);
    const err = await failure(call(ds));
    expect(err.code).toBe('UPSTREAM_ERROR');
    expect(err.message).toBe('The catalog service did not answer in time');
  });

  it('a subgraph that sends its headers and stalls in the body has not answered in time', async () => {
    const url = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":');
    });
    const ds = new InternalDataSource('guardrails', url, keys.privateKey, testLogger(), undefined, 200);
    const err = await failure(call(ds));
    expect(err.message).toBe('The guardrails service did not answer in time');
  });

  it('a non-2xx answer is an error with its status, as Apollo reports it', async () => {
    const url = await serve((_req, _body, res) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway');
    });
    const ds = new InternalDataSource('observability', url, keys.privateKey, testLogger());
    await expect(call(ds)).rejects.toMatchObject({
      message: '502: Bad Gateway',
      extensions: { response: { status: 502, body: 'bad gateway' } },
    });
  });
});
