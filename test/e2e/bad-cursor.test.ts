import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getNamedType, isNonNullType, isObjectType, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { encodeCursor } from '@cockpit/kit';
import { ok, startTestStack, type TestStack } from '../support/stack';

/**
 * Every list of the API answers an `after` it did not hand out the same way:
 * INVALID_REQUEST naming `after`. The lists are found in the schema (every
 * field returning a `…Connection` with an `after` argument, at any depth), so a
 * new list is walked without editing this file, and one that drifts fails.
 */

const API = buildSchema(readFileSync(join(__dirname, '../../schema/api.graphql'), 'utf8'));

const isConnection = (f: GraphQLField<unknown, unknown>) =>
  getNamedType(f.type).name.endsWith('Connection') && f.args.some((a) => a.name === 'after');
const optionalArgs = (f: GraphQLField<unknown, unknown>) => f.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined);

/**
 * Every selection path from Query to each connection field through fields that
 * need no arguments (lists through `nodes`, no type twice on a path). All are
 * walked: which one reaches rows depends on the caller (`viewer.user` is null
 * for a super admin, `account.orgs…` is what the test seeded).
 */
function connectionPaths(): Map<string, string[][]> {
  const paths = new Map<string, string[][]>();
  const walk = (type: GraphQLObjectType, path: string[], seen: Set<string>) => {
    for (const f of Object.values(type.getFields())) {
      const named = getNamedType(f.type);
      if (!optionalArgs(f) || !isObjectType(named)) continue;
      if (isConnection(f)) {
        const key = `${type.name}.${f.name}`;
        paths.set(key, [...(paths.get(key) ?? []), [...path, f.name]]);
        const node = getNamedType(named.getFields().nodes?.type);
        if (isObjectType(node) && !seen.has(node.name)) walk(node, [...path, f.name, 'nodes'], new Set([...seen, node.name]));
      } else if (!seen.has(named.name)) walk(named, [...path, f.name], new Set([...seen, named.name]));
    }
  };
  walk(API.getQueryType()!, [], new Set(['Query']));
  return paths;
}

const PATHS = connectionPaths();

/** The path as a query: `after: $after` on its last field, one row per list above it (keeps the query's cost low). */
function operationFor(path: string[]): string {
  const last = path.length - 1;
  const body = path.reduceRight((inner, field, i) => {
    const args = i === last ? '(after: $after)' : path[i + 1] === 'nodes' ? '(first: 1)' : '';
    return `${field}${args} { ${inner} }`;
  }, 'totalCount');
  return `query BadCursor($after: String) { ${body} }`;
}

const GARBAGE = {
  'not base64url': '!!not a cursor!!',
  'a forged key': encodeCursor("x'; drop table account; --"),
  'an empty cursor': '',
};

describe('a bad cursor answers the same code on every list', () => {
  let s: TestStack;
  let accountId: string;
  let superToken: string;

  beforeAll(async () => {
    s = await startTestStack();
    accountId = ok(
      await s.gql(
        `mutation { createAccount(input: { name: "Cursors", emailDomain: "cursors.example", planTier: TEAM }) { id } }`,
        {},
        {
          token: s.masterKey,
        },
      ),
    ).createAccount.id;
    superToken = await s.tokenFor('SUPER_ADMIN');
    // nested lists (an org's teams, a team's members) resolve only under a parent that exists; the walk reads the first org
    ok(await s.gql(`mutation { createOrg(input: { name: "Paged", domain: COPILOT }) { id } }`, {}, { token: superToken, accountId }));
    const [org] = ok(await s.gql(`{ account { orgs(first: 1) { nodes { id } } } }`, {}, { token: superToken, accountId })).account.orgs
      .nodes;
    ok(
      await s.gql(
        `mutation($o: ID!) { createTeam(input: { orgId: $o, name: "Paged team" }) { id } }`,
        { o: org.id },
        { token: superToken, accountId },
      ),
    );
  }, 120_000);
  afterAll(() => s?.close());

  it('finds every list of the schema, nested ones included', () => {
    const connections = Object.values(API.getTypeMap())
      .filter(isObjectType)
      .filter((t) => !t.name.startsWith('__') && t !== API.getSubscriptionType())
      .flatMap((t) =>
        Object.values(t.getFields())
          .filter(isConnection)
          .map((f) => `${t.name}.${f.name}`),
      );
    expect(connections.length).toBeGreaterThan(0);
    expect(connections.filter((c) => !PATHS.has(c))).toEqual([]);
  });

  describe.each(Object.entries(GARBAGE))('with %s', (_, after) => {
    it.each([...PATHS.keys()])('%s answers INVALID_REQUEST naming after', async (key) => {
      const answers = await Promise.all(
        PATHS.get(key)!.map(async (path) => {
          const r = await s.gql(operationFor(path), { after }, { token: superToken, accountId });
          return (r.body.errors ?? []).map((e) => ({ path: path.join('.'), code: e.extensions.code, details: e.extensions.details }));
        }),
      );
      const errors = answers.flat();
      // at least one path reached the list (else the seed data misses a parent), and every answer is the one code
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.filter((e) => e.code !== 'INVALID_REQUEST' || typeof e.details?.after !== 'string')).toEqual([]);
    });
  });

  it('still pages with a cursor the list handed out', async () => {
    const first = ok(await s.gql(`{ auditLog(first: 1) { pageInfo { endCursor } } }`, {}, { token: superToken, accountId }));
    const r = await s.gql(
      `query($a: String) { auditLog(first: 1, after: $a) { totalCount } }`,
      { a: first.auditLog.pageInfo.endCursor },
      {
        token: superToken,
        accountId,
      },
    );
    expect(r.body.errors).toBeUndefined();
  });
});
