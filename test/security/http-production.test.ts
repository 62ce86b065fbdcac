import { getIntrospectionQuery } from 'graphql';
import { codeOf, ok, startTestStack, type TestStack } from '../support/stack';

/** `NODE_ENV=production` at the edge (GW5): what an outsider can learn about the schema, and GraphiQL. */
describe('production mode', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startTestStack({ edge: { production: true } });
  });
  afterAll(() => s.close());

  it('schema discovery: introspection is refused in production, even to a super admin', async () => {
    const r = await s.gql(getIntrospectionQuery(), {}, { token: s.masterKey });
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('INVALID_REQUEST');
    expect(r.body.errors![0].message).toMatch(/introspection is not allowed/i);
    expect(r.body.data).toBeUndefined();
  });

  it('schema discovery by typo: a misspelt field gets no "did you mean" suggestion', async () => {
    const r = await s.gql(`{ viewer { subjec } }`, {}, { token: s.masterKey });
    expect(codeOf(r)).toBe('INVALID_REQUEST');
    expect(r.body.errors![0].message).toBe('Cannot query field "subjec" on type "Viewer".');
    // an enum value misspelt in a variable is coerced by the gateway, not validated: no suggestion there either
    const e = await s.gql(
      `mutation($t: PlanTier!) { createAccount(input: { name: "X", emailDomain: "x.example", planTier: $t }) { id } }`,
      { t: 'TEEM' },
      { token: s.masterKey },
    );
    expect(e.body.errors![0].message).not.toMatch(/did you mean/i);
  });

  it('GraphiQL is not served in production', async () => {
    const page = await fetch(s.url, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).not.toMatch(/html/);
    expect((await fetch(s.url.replace(/\/graphql$/, '/graphiql/graphiql.js'))).status).toBe(404);
  });

  it('operations still work', async () => {
    expect(ok(await s.gql(`{ viewer { superAdmin } }`, {}, { token: s.masterKey })).viewer.superAdmin).toBe(true);
  });
});

/** COCKPIT_INTROSPECTION=superadmin: schema tooling against a production gateway, for the platform's own admins only. */
describe('production mode with introspection for super admins', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startTestStack({ edge: { production: true, introspection: 'superadmin', graphiql: true } });
  });
  afterAll(() => s.close());

  it('schema discovery by an account user is refused; a super admin introspects', async () => {
    const account = ok(
      await s.gql(
        `mutation { createAccount(input: { name: "Intro", emailDomain: "intro.example", planTier: TEAM }) { id } }`,
        {},
        { token: s.masterKey },
      ),
    ).createAccount.id;
    const owner = await s.tokenFor('OWNER', account);
    expect(ok(await s.gql(`{ viewer { roles } }`, {}, { token: owner })).viewer.roles).toEqual(['OWNER']);
    const refused = await s.gql(`{ __schema { queryType { name } } }`, {}, { token: owner });
    expect(refused.status).toBe(403);
    expect(codeOf(refused)).toBe('FORBIDDEN');
    const hidden = await s.gql(`query { ...Q } fragment Q on Query { __type(name: "Account") { name } }`, {}, { token: owner });
    expect(codeOf(hidden)).toBe('FORBIDDEN');
    expect(ok(await s.gql(getIntrospectionQuery(), {}, { token: s.masterKey })).__schema.queryType.name).toBe('Query');
  });

  it('GraphiQL is served when enabled explicitly', async () => {
    const page = await fetch(s.url, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });
});
