import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'graphql';
import {
  actingScope,
  assembleResolvers,
  checkDecimals,
  decimalProblem,
  defineConcept,
  defineSubgraph,
  eventChecker,
  fieldRules,
  principal,
  subgraphTypeDefs,
  testLogger,
  testKeys,
  type FieldRule,
} from '../src';

const DECL = `
directive @authorize(action: String, scope: AuthScope! = ACCOUNT, platformAction: String) on FIELD_DEFINITION
enum AuthScope { ACCOUNT PLATFORM ACCOUNT_OR_PLATFORM SELF }`;
const SDL = `${DECL}
type Query {
  me: String @authorize(scope: SELF)
  plan: String @authorize(action: "budgetPlan.read")
}
type Mutation {
  setPlan: String @authorize(action: "budgetPlan.write")
  forgotten: String
}`;

describe('concepts: authorization declared once per root field', () => {
  it('refuses a schema with an undeclared root field, naming it', () => {
    expect(() => fieldRules(parse(SDL))).toThrow(/Mutation\.forgotten has no @authorize declaration/);
    expect(() => fieldRules(parse(`${DECL}\ntype Query { x: String @authorize(action: "no.such") }`))).toThrow(/unknown action no\.such/);
    expect(() => fieldRules(parse(`${DECL}\ntype Query { x: String @authorize(scope: PLATFORM) }`))).toThrow(/needs an action/);
  });

  it('fails start-up of a subgraph with an undeclared root field, before it touches a database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cockpit-concept-'));
    const schemaFile = join(dir, 'schema.graphql');
    // a subgraph's own SDL: the kit adds the @authorize declaration
    writeFileSync(
      schemaFile,
      `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@inaccessible"])\n${SDL.replace(DECL, '')}`,
    );
    const resolve = () => 'x';
    const create = defineSubgraph({
      name: 'budgets',
      schemaFile,
      migrations: [],
      concepts: [
        defineConcept({
          name: 'c',
          resolvers: { Query: { me: resolve, plan: resolve }, Mutation: { setPlan: resolve, forgotten: resolve } },
        }),
      ],
    });
    const keys = testKeys();
    await expect(
      create({
        databaseUrl: 'postgres://nobody@127.0.0.1:9/none',
        gatewayPublicKey: keys.publicKey,
        serviceKey: keys.privateKey,
        observabilityUrl: 'http://127.0.0.1:9',
        log: testLogger(),
      }),
    ).rejects.toThrow(/Mutation\.forgotten has no @authorize declaration/);
  });

  it("adds the kit's @authorize declaration to a subgraph's SDL, which must import @inaccessible for it", () => {
    const dir = mkdtempSync(join(tmpdir(), 'cockpit-sdl-'));
    const file = join(dir, 'schema.graphql');
    writeFileSync(
      file,
      `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@inaccessible"])\ntype Query { me: String @authorize(scope: SELF) }`,
    );
    const names = subgraphTypeDefs(file).definitions.flatMap((d) => ('name' in d && d.name ? [d.name.value] : []));
    expect(names).toEqual(expect.arrayContaining(['authorize', 'AuthScope', 'Query']));
    writeFileSync(
      file,
      `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\ntype Query { me: String }`,
    );
    expect(() => subgraphTypeDefs(file)).toThrow(/must import "@inaccessible"/);
  });

  it('refuses a field two concepts resolve, and a declared field nobody resolves', () => {
    const sdl = parse(SDL.replace('  forgotten: String\n', ''));
    const r = () => 'x';
    const a = defineConcept({ name: 'a', resolvers: { Query: { me: r, plan: r }, Mutation: { setPlan: r } } });
    expect(() => assembleResolvers(sdl, [a, defineConcept({ name: 'b', resolvers: { Query: { plan: r } } })])).toThrow(
      /Query\.plan is resolved by two concepts/,
    );
    expect(() => assembleResolvers(sdl, [defineConcept({ name: 'a', resolvers: { Query: { me: r, plan: r } } })])).toThrow(
      /Mutation\.setPlan has no resolver/,
    );
  });

  it('decides the acting account from the principal and the declared scope', () => {
    const rule = (
      scope: FieldRule['scope'],
      action: FieldRule['action'],
      platformAction: FieldRule['platformAction'] = null,
    ): FieldRule => ({
      field: 'Query.x',
      scope,
      action,
      platformAction,
    });
    const acct = '0193f000-0000-7000-8000-00000000000a';
    const admin = principal({ accountId: acct, roles: ['ADMIN'] });
    const root = principal({ superAdmin: true, roles: ['SUPER_ADMIN'] });
    const code = (f: () => unknown) => {
      try {
        f();
        return 'OK';
      } catch (e) {
        return (e as { code?: string }).code;
      }
    };
    expect(actingScope(admin, rule('ACCOUNT', 'apiKey.write'))).toEqual({ accountId: acct, platform: false });
    expect(code(() => actingScope(principal({ accountId: acct, roles: ['VIEWER'] }), rule('ACCOUNT', 'apiKey.write')))).toBe('FORBIDDEN');
    expect(code(() => actingScope(root, rule('ACCOUNT', 'apiKey.write')))).toBe('INVALID_REQUEST');
    expect(actingScope(root, rule('PLATFORM', 'account.create'))).toEqual({ accountId: null, platform: true });
    expect(code(() => actingScope(admin, rule('PLATFORM', 'account.create')))).toBe('FORBIDDEN');
    // ACCOUNT_OR_PLATFORM: a super admin without an account gets the platform variant
    const keys = rule('ACCOUNT_OR_PLATFORM', 'apiKey.write', 'platformApiKey.write');
    expect(actingScope(root, keys)).toEqual({ accountId: null, platform: true });
    expect(actingScope(admin, keys)).toEqual({ accountId: acct, platform: false });
    expect(code(() => actingScope(principal({ roles: ['OWNER'] }), keys))).toBe('FORBIDDEN');
    expect(code(() => actingScope(principal({ superAdmin: true, roles: ['SUPER_ADMIN'], scopes: ['apiKey.*'] }), keys))).toBe('FORBIDDEN');
    expect(actingScope(principal({ roles: [] }), rule('SELF', null))).toEqual({ accountId: null, platform: false });
    expect(code(() => actingScope(null, rule('SELF', null)))).toBe('UNAUTHORIZED');
  });
});

describe('concepts: event catalogue', () => {
  const check = eventChecker({ 'plan.set': { subject: 'BudgetPlan', payload: ['before', 'after'] } });
  it('accepts a declared event and refuses an unknown type, another subject or an undeclared payload field', () => {
    const base = { accountId: 'a', type: 'plan.set', subject: { type: 'BudgetPlan', id: 'a' }, payload: { after: 1 } };
    expect(() => check(base)).not.toThrow();
    expect(() => check({ ...base, type: 'plan.gone' })).toThrow(/not in the subgraph's event catalogue/);
    expect(() => check({ ...base, subject: { type: 'Account', id: 'a' } })).toThrow(/subject Account/);
    expect(() => check({ ...base, payload: { after: 1, secret: 'x' } })).toThrow(/undeclared payload fields: secret/);
  });
});

describe('decimals against their column', () => {
  const credits = { precision: 20, scale: 4, min: 'zero' as const };
  it('accepts exactly what the column stores and names the reason otherwise', () => {
    expect(decimalProblem('9999999999999999.9999', credits)).toBeNull();
    expect(decimalProblem('0010.5000000', credits)).toBeNull();
    expect(decimalProblem('0.00001', credits)).toBe('must have at most 4 decimal places');
    expect(decimalProblem('10000000000000000', credits)).toBe('must have at most 16 digits before the decimal point');
    expect(decimalProblem('-0.5', credits)).toBe('must not be negative');
    expect(decimalProblem('-0', credits)).toBeNull();
    expect(decimalProblem('0.000', { precision: 12, scale: 6, min: 'positive' })).toBe('must be greater than 0');
    expect(checkDecimals({ a: '1.23456', b: null }, { a: credits, b: credits })).toEqual({ a: 'must have at most 4 decimal places' });
  });
});
