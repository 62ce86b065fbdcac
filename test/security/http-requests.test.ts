import { connect } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { codeOf, ok, startTestStack, type TestStack } from '../support/stack';

/** Pino lines the stack logs, kept for assertions (level 20 = debug … 50 = error). */
function captureLog() {
  const lines: { level: number; msg: string; err?: { stack?: string }; stack?: string }[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { log: pino({ level: 'debug' }, sink), lines };
}

/** How the HTTP edge answers malformed, oversized and misdirected requests (GW3, GW5). */
describe('HTTP requests at the edge', () => {
  let s: TestStack;
  const captured = captureLog();
  beforeAll(async () => {
    s = await startTestStack({ log: captured.log });
  });
  afterAll(() => s.close());
  const base = () => s.url.replace(/\/graphql$/, '');

  it('oversized body: a 2 MiB POST gets a 413 GraphQL error, not a reset, and is not logged as an error', async () => {
    const before = captured.lines.length;
    const res = await fetch(s.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.masterKey}` },
      body: JSON.stringify({ query: `{ viewer { subject } }`, variables: { pad: 'x'.repeat(2 * 1024 * 1024) } }),
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0]).toEqual({
      message: 'Request body exceeds 1048576 bytes',
      extensions: { code: 'INVALID_REQUEST', requestId: res.headers.get('x-request-id') },
    });
    expect(captured.lines.slice(before).filter((l) => l.level >= 50)).toEqual([]);
  });

  it("an idle keep-alive connection outlives a client's idle limit: a request sent on it after 6 s is answered, not reset", async () => {
    const port = Number(new URL(s.url).port);
    const sock = connect(port, '127.0.0.1');
    let received = '';
    let closed = false;
    sock.on('data', (d) => (received += d));
    sock.on('close', () => (closed = true));
    sock.on('error', () => undefined);
    const answered = async (n: number) => {
      while ((received.match(/HTTP\/1\.1 200 /g) ?? []).length < n && !closed) await new Promise((r) => setTimeout(r, 20));
    };
    const get = 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n';
    sock.write(get);
    await answered(1);
    // Node's default keep-alive timeout (5 s) would close it here, under a client whose own limit is 4–60 s
    await new Promise((r) => setTimeout(r, 6_000));
    expect(closed).toBe(false);
    sock.write(get);
    await answered(2);
    sock.destroy();
    expect((received.match(/HTTP\/1\.1 200 /g) ?? []).length).toBe(2);
  });

  it('oversized body: a raw client that keeps sending (chunked, no length) still reads the 413', async () => {
    const port = Number(new URL(s.url).port);
    const answer = await new Promise<string>((resolve, reject) => {
      const sock = connect(port, '127.0.0.1');
      let received = '';
      let writing = true;
      sock.on('error', reject);
      sock.on('data', (d) => {
        received += d;
        if (/\r\n\r\n[\s\S]*\}\]\}/.test(received)) {
          writing = false;
          sock.destroy();
          resolve(received);
        }
      });
      sock.write(
        `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${s.masterKey}\r\nTransfer-Encoding: chunked\r\n\r\n`,
      );
      const chunk = Buffer.alloc(64 * 1024, 'a');
      // keeps sending past the limit until the answer arrives (the server drains it meanwhile)
      const pump = () => {
        if (!writing) return;
        sock.write(`${chunk.length.toString(16)}\r\n`);
        sock.write(chunk);
        const more = sock.write('\r\n');
        if (more) setImmediate(pump);
        else sock.once('drain', pump);
      };
      pump();
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain('"code":"INVALID_REQUEST"');
  });

  it('a foreign charset (latin1) is refused with 415', async () => {
    const res = await fetch(s.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=iso-8859-1', authorization: `Bearer ${s.masterKey}` },
      body: JSON.stringify({ query: `{ viewer { subject } }` }),
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('INVALID_REQUEST');
    // UTF-8, spelled either way, is served
    for (const charset of ['utf-8', 'UTF8'])
      ok(
        await s.gql(
          `{ viewer { subject } }`,
          {},
          { token: s.masterKey, headers: { 'content-type': `application/json; charset=${charset}` } },
        ),
      );
  });

  it('bad JSON is a 400 client error, logged at debug level at most, never with a stack', async () => {
    const before = captured.lines.length;
    const res = await fetch(s.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.masterKey}` },
      body: '{"query": ',
    });
    expect(res.status).toBe(400);
    const v = await s.gql(`{ viewer { subjekt } }`, {}, { token: s.masterKey });
    expect(v.status).toBe(400);
    const lines = captured.lines.slice(before);
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
    const clientError = lines.find((l) => l.msg === 'client error');
    expect(clientError).toMatchObject({ level: 20 });
    expect(JSON.stringify(lines)).not.toMatch(/\n\s+at /);
  });

  it('a subscription sent over HTTP is a 400 that points to graphql-ws, not a 500', async () => {
    const r = await s.gql(`subscription { events { seq } }`, {}, { token: s.masterKey });
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('INVALID_REQUEST');
    expect(r.body.errors![0].message).toMatch(/graphql-ws/);
  });

  it('401 answers carry a Bearer challenge (RFC 6750), invalid_token when a credential was refused', async () => {
    const none = await s.gql(`{ viewer { subject } }`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="cockpit"');
    const bad = await s.gql(`{ viewer { subject } }`, {}, { token: 'sk-cap-not-a-key' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer realm="cockpit", error="invalid_token"/);
  });

  it('CSRF: a simple GET without a preflight header is refused; with apollo-require-preflight it is served', async () => {
    const url = `${s.url}?query=${encodeURIComponent('{ viewer { subject } }')}`;
    const auth = { authorization: `Bearer ${s.masterKey}` };
    const refused = await fetch(url, { headers: auth });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/CSRF/);
    const served = await fetch(url, { headers: { ...auth, 'apollo-require-preflight': 'true' } });
    expect(served.status).toBe(200);
    expect(((await served.json()) as any).data.viewer.subject).toBeTruthy();
  });

  it('GraphiQL: a browser GET /graphql gets the GraphiQL page, its assets served from npm, with a headers pane', async () => {
    const page = await fetch(s.url, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/graphiql\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.sort()).toEqual([
      '/graphiql/graphiql.css',
      '/graphiql/graphiql.js',
      '/graphiql/init.js',
      '/graphiql/react-dom.js',
      '/graphiql/react.js',
    ]);
    expect(html).not.toMatch(/https?:\/\//); // nothing from a CDN
    for (const a of assets) {
      const res = await fetch(`${base()}${a}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(a.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8');
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
    expect(await (await fetch(`${base()}/graphiql/init.js`)).text()).toMatch(/defaultHeaders[\s\S]*Authorization/);
    expect((await fetch(`${base()}/graphiql/../package.json`)).status).toBe(404);
    // tools asking for JSON still get GraphQL
    expect((await fetch(s.url, { headers: { accept: 'application/json' } })).headers.get('content-type')).not.toMatch(/html/);
  });
});
