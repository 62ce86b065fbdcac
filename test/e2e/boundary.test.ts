import { INTERNAL_TOKEN_HEADER, principal, signInternalToken, testKeys } from '@cockpit/kit';
import { codeOf, eventually, ok, startTestStack, type TestStack } from '../support/stack';

/** The federation boundary, credentials and conventions of every response (GW2, GW3). */
describe('the gateway boundary', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startTestStack();
  });
  afterAll(() => s.close());

  const direct = async (url: string, query: string, headers: Record<string, string> = {}) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it.each(['identity', 'budgets', 'catalog', 'guardrails', 'observability'] as const)(
    '%s refuses direct calls without the internal token, _entities and _service included',
    async (name) => {
      const url = s.subgraphUrls[name];
      for (const q of ['{ _service { sdl } }', '{ _entities(representations: [{ __typename: "Account", id: "x" }]) { __typename } }']) {
        const r = await direct(url, q);
        expect(r.status).toBe(401);
        expect(r.body.errors[0].extensions.code).toBe('UNAUTHORIZED');
      }
      // client identity headers are worthless, and so is a token signed by anyone but the gateway
      const forged = await signInternalToken(testKeys().privateKey, name, principal({ superAdmin: true }));
      expect((await direct(url, '{ _service { sdl } }', { [INTERNAL_TOKEN_HEADER]: forged, 'x-account-id': 'x' })).status).toBe(401);
    },
  );

  it('requires a credential and says how to send one', async () => {
    const r = await s.gql(`{ account { id } }`);
    expect(r.status).toBe(401);
    expect(codeOf(r)).toBe('UNAUTHORIZED');
    expect(r.body.errors![0].extensions.requestId).toBe(r.headers.get('x-request-id'));
  });

  it('refuses an expired OIDC token with TOKEN_EXPIRED', async () => {
    const t = await s.issuer.token({ sub: 'late', roles: ['SUPER_ADMIN'] }, { ttlSeconds: 1 });
    await new Promise((r) => setTimeout(r, 7_000)); // past the 5 s clock tolerance
    const r = await s.gql(`{ accounts { totalCount } }`, {}, { token: t });
    expect(codeOf(r)).toBe('TOKEN_EXPIRED');
  }, 30_000);

  it('echoes a sane X-Request-Id and stamps it on errors', async () => {
    const r = await s.gql(`{ account { id } }`, {}, { token: s.masterKey, headers: { 'x-request-id': 'trace-123' } });
    expect(r.headers.get('x-request-id')).toBe('trace-123');
    expect(r.body.errors![0].extensions).toMatchObject({ requestId: 'trace-123' });
    const insane = await s.gql(
      `{ accounts { totalCount } }`,
      {},
      { token: s.masterKey, headers: { 'x-request-id': 'bad id with spaces' } },
    );
    expect(insane.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the master key as a super admin and the bootstrap-style platform key', async () => {
    const d = ok(await s.gql(`{ accounts { totalCount } }`, {}, { token: s.masterKey }));
    expect(d.accounts.totalCount).toBe(0);
  });

  it('rejects over-deep queries at validation, counting through fragments', async () => {
    const deep = `query { account { ...A } } fragment A on Account { orgs { nodes { teams { nodes { org { teams { nodes { org { teams { nodes { org { teams { nodes { id } } } } } } } } } } } } } }`;
    const r = await s.gql(deep, {}, { token: s.masterKey });
    expect(codeOf(r)).toBe('INVALID_REQUEST');
    expect(r.body.errors![0].message).toMatch(/depth/);
  });

  it('has health and readiness endpoints', async () => {
    const base = s.url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    // each subgraph's database must answer `select 1` within 1 s: on a loaded machine one check can miss it
    const ready = await eventually(async () => {
      const r = (await (await fetch(`${base}/readyz`)).json()) as { ready: boolean };
      return r.ready ? r : undefined;
    });
    expect(ready).toEqual({ ready: true });
  });

  it('records each write under its own request id, though the internal token for the same principal is reused', async () => {
    const account = ok(
      await s.gql(
        `mutation { createAccount(input: { name: "Traced", emailDomain: "traced.example" }) { id } }`,
        {},
        { token: s.masterKey },
      ),
    ).createAccount.id;
    for (const [id, name] of [
      ['trace-org-a', 'alpha'],
      ['trace-org-b', 'beta'],
    ])
      ok(
        await s.gql(
          `mutation($n: String!) { createOrg(input: { name: $n, domain: COPILOT }) { id } }`,
          { n: name },
          {
            token: s.masterKey,
            accountId: account,
            headers: { 'x-request-id': id },
          },
        ),
      );
    const log = await eventually(async () => {
      const r = ok(
        await s.gql(
          `{ auditLog(filter: { types: ["org.created"] }) { nodes { requestId payload } } }`,
          {},
          { token: s.masterKey, accountId: account },
        ),
      );
      return r.auditLog.nodes.length === 2 ? r.auditLog.nodes : undefined;
    });
    expect(log.map((n: any) => n.requestId).sort()).toEqual(['trace-org-a', 'trace-org-b']);
  });
});
