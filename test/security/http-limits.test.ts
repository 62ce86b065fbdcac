import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSchema, getIntrospectionQuery, parse, validate, type GraphQLSchema } from 'graphql';
import { DEFAULT_LIMITS, operationLimitRules } from '@cockpit/gateway';
import { codeOf, ok, startTestStack, type TestStack } from '../support/stack';

const ROOT = join(__dirname, '..', '..');

/** Operation limits over HTTP (GW5): each test is an attack on the gateway's planner or executor and the refusal that stops it. */
describe('operation limits over HTTP', () => {
  let s: TestStack;
  let schema: GraphQLSchema;
  beforeAll(async () => {
    s = await startTestStack();
    // the public API schema, as the gateway's limit rules see it
    schema = buildSchema(readFileSync(join(ROOT, 'schema', 'api.graphql'), 'utf8'));
  });
  afterAll(() => s.close());

  const admin = (query: string, variables?: Record<string, unknown>) => s.gql(query, variables, { token: s.masterKey });

  it('token flood: a document over 2,000 tokens is refused while parsing', async () => {
    const r = await admin(`{ viewer { subject ${'__typename '.repeat(2100)} } }`);
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('INVALID_REQUEST');
    expect(r.body.errors![0].message).toMatch(/more tha[nt] 2000 tokens/); // graphql-js spells it "more that";
  });

  it('directive flood: directives are counted through fragment spreads and refused past 50', async () => {
    const many = Array.from({ length: 30 }, (_, i) => `s${i}: subject @include(if: true)`).join(' ');
    // 30 directives, spread twice: 60 as executed
    const r = await admin(`query { viewer { ...F ...G } } fragment F on Viewer { ${many} } fragment G on Viewer { ...F }`);
    expect(codeOf(r)).toBe('INVALID_REQUEST');
    expect(r.body.errors!.map((e) => e.message)).toContain('Too many directives (limit 50)');
    // under the cap it runs
    ok(await admin(`query { viewer { ...F } } fragment F on Viewer { subject @include(if: true) kind @skip(if: false) }`));
  });

  it('fragment fan-out: 20 fragments each spreading the next 20 times are analysed in linear time', () => {
    const frags = Array.from({ length: 20 }, (_, i) =>
      i === 19 ? `fragment F19 on Viewer { subject @include(if: true) }` : `fragment F${i} on Viewer { ${`...F${i + 1} `.repeat(20)} }`,
    );
    // 20^19 expansions if counted naively; the analysis memoises each fragment, and stops counting directives at the cap
    const errors = validate(schema, parse(`query { viewer { ...F0 } } ${frags.join(' ')}`), operationLimitRules());
    expect(errors.map((e) => e.message)).toEqual(['Too many directives (limit 50)']);
  });

  it('list multiplication: the cost multiplies page sizes through nesting and is refused before planning, with the cost in the error', async () => {
    const q = `{ accounts(first: 100) { nodes { orgs(first: 100) { nodes { teams(first: 100) { nodes { id members(first: 100) { nodes { id } } } } } } } } }`;
    const r = await admin(q);
    expect(r.status).toBe(400);
    expect(r.body.data).toBeUndefined();
    // members: 100 × (1 + node + id) = 300; teams: 100 × (1 + 1 + id + 300) = 30,300;
    // orgs: 100 × (1 + 1 + 30,300) = 3,030,200; accounts: 100 × (1 + 1 + 3,030,200) = 303,020,200
    expect(r.body.errors![0].extensions).toMatchObject({ code: 'INVALID_REQUEST', cost: 303_020_200, maxCost: DEFAULT_LIMITS.maxCost });
    // `first` is clamped to 100 like the resolvers do: asking for a million costs no more
    const huge = await admin(q.replace('accounts(first: 100)', 'accounts(first: 1000000)'));
    expect(huge.body.errors![0].extensions).toMatchObject({ cost: 303_020_200 });
  });

  it('list multiplication through variables: `first: $n` is priced with the value sent, before planning', async () => {
    const q = `query($n: Int) { accounts(first: $n) { nodes { orgs(first: 100) { nodes { teams(first: 100) { nodes { id members(first: 100) { nodes { id } } } } } } } } }`;
    const big = await admin(q, { n: 100 });
    expect(big.body.errors![0].extensions).toMatchObject({ code: 'INVALID_REQUEST', cost: 303_020_200 });
    expect(ok(await admin(q, { n: 1 })).accounts.nodes).toEqual([]);
    // absent, the server's default page (50) is assumed: 50 × 3,030,202 = 151,510,100
    expect((await admin(q)).body.errors![0].extensions).toMatchObject({ cost: 151_510_100 });
  });

  it('list multiplication without `first`: lists without paging count as 10 items, fragments included', async () => {
    // admins: [AccountAdmin!]! has no `first`
    const r = await admin(
      `{ accounts(first: 100) { nodes { ...A } } } fragment A on Account { orgs(first: 100) { nodes { teams { nodes { id members { nodes { id } } } } } } admins { userId role } }`,
    );
    // members and teams at the default page (50): members 50 × 3 = 150, teams 50 × (1 + 1 + 1 + 150) = 7,650;
    // orgs: 100 × (1 + 1 + 7,650) = 765,200; admins: 10 × (1 + 2) = 30; accounts: 100 × (1 + 1 + 765,230) = 76,523,200
    expect(r.body.errors![0].extensions).toMatchObject({ cost: 76_523_200 });
  });

  it('over-deep queries are still refused through fragments', async () => {
    const deep = `query { account { ...A } } fragment A on Account { orgs { nodes { teams { nodes { org { teams { nodes { org { teams { nodes { org { id } } } } } } } } } } } }`;
    const r = await admin(deep);
    expect(codeOf(r)).toBe('INVALID_REQUEST');
    expect(r.body.errors![0].message).toMatch(/depth exceeds the limit of 10/);
  });

  it('oversized variables: bound variables over 256 KiB answer 413 before Apollo sees them', async () => {
    const r = await admin(`query($a: String) { accounts(after: $a) { totalCount } }`, { a: 'x'.repeat(300 * 1024) });
    expect(r.status).toBe(413);
    expect(r.body.errors![0]).toMatchObject({
      message: `Variables exceed ${256 * 1024} bytes`,
      extensions: { code: 'INVALID_REQUEST', requestId: r.headers.get('x-request-id') },
    });
  });

  it('deeply nested variables: a variable nesting past 16 levels is refused', async () => {
    // written by hand: 5,000 levels is more than JSON.stringify itself survives
    const deep = `${'['.repeat(5000)}"x"${']'.repeat(5000)}`;
    const res = await fetch(s.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.masterKey}` },
      body: `{"query":"query($a: String) { accounts(after: $a) { totalCount } }","variables":{"a":${deep}}}`,
    });
    const r = { status: res.status, body: (await res.json()) as { errors: { message: string }[] } };
    expect(r.status).toBe(400);
    expect(r.body.errors![0].message).toBe('Variables nest deeper than 16 levels');
  });

  it('deeply nested variables over GET: the `variables` parameter is bounded too', async () => {
    const q = encodeURIComponent(`query($a: String) { accounts(after: $a) { totalCount } }`);
    const v = encodeURIComponent(`{"a":${'['.repeat(100)}"x"${']'.repeat(100)}}`);
    const res = await fetch(`${s.url}?query=${q}&variables=${v}`, {
      headers: { authorization: `Bearer ${s.masterKey}`, 'apollo-require-preflight': 'true' },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { message: string }[] }).errors[0].message).toBe('Variables nest deeper than 16 levels');
  });

  it("standard introspection from tools: graphql-js's full getIntrospectionQuery() succeeds (exempt from depth)", async () => {
    const q = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      inputValueDeprecation: true,
      schemaDescription: true,
    });
    const d = ok(await admin(q));
    expect(d.__schema.types.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['Account', 'Query', 'Mutation']));
  });

  it('GraphQL Code Generator loads the schema from the running gateway URL', async () => {
    // the real CLI in its own process, as a developer runs it (the gateway serves it from this one)
    const dir = mkdtempSync(join(tmpdir(), 'cockpit-codegen-'));
    try {
      const config = join(dir, 'codegen.json');
      writeFileSync(
        config,
        JSON.stringify({
          schema: { [s.url]: { headers: { authorization: `Bearer ${s.masterKey}` } } },
          generates: { [join(dir, 'api.ts')]: { plugins: ['typescript'] } },
        }),
        { mode: 0o600 },
      );
      await promisify(execFile)(join(ROOT, 'node_modules', '.bin', 'graphql-codegen'), ['--config', config], { cwd: ROOT });
      const out = { content: readFileSync(join(dir, 'api.ts'), 'utf8') };
      expect(out.content).toMatch(/export type Account = \{/);
      expect(out.content).toMatch(/export type Query = \{/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it.each([
    ['fields › type › fields', `{ __type(name: "Account") { fields { type { fields { type { fields { name } } } } } } }`],
    ['types › fields › type › fields', `{ __schema { types { fields { type { ofType { fields { name } } } } } } }`],
    [
      'a circular __type walk hidden in fragments',
      `{ __type(name: "Account") { ...T } } fragment T on __Type { fields { type { ...U } } } fragment U on __Type { ofType { ...T } }`,
    ],
  ])('circular introspection abuse (%s) is refused', async (_, q) => {
    const r = await admin(q);
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('INVALID_REQUEST');
    expect(r.body.errors![0].message).toMatch(/Introspection may not nest "fields"/);
  });

  it('an ofType chain deeper than any real type is refused', async () => {
    const r = await admin(`{ __type(name: "Account") { ${'ofType { '.repeat(13)}name${' }'.repeat(13)} } }`);
    expect(r.body.errors![0].message).toMatch(/ofType" at most 12 levels/);
  });
});
