import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
} from 'graphql';
import { can, fieldRules, type Action, type FieldRule, type Principal, type Role } from '@cockpit/kit';
import { parse } from 'graphql';
import { SUBGRAPHS } from '../../schema/subgraphs';
import { agentSession } from '../support/agent';
import { codeOf, ok, startTestStack, type GqlResult, type TestStack } from '../support/stack';

/**
 * The generated RBAC walk (ID4): every role against every mutation and every
 * sensitive query of the API schema, through the gateway, compared with what
 * the kit's `can` says for that role and the action the field declares with
 * `@authorize` in its subgraph's SDL (the declaration the kit enforces). A root
 * field without a declaration fails the walk (and its subgraph's start-up), so
 * a new mutation cannot ship unchecked. Arguments are generated from the
 * schema: the walk proves who gets past authorization, not what the operation
 * then does.
 */

const API = buildSchema(readFileSync(join(__dirname, '../../schema/api.graphql'), 'utf8'));
/** Every subgraph's declarations, `Query.org` → rule; throws (failing the file) on an undeclared field. */
const RULES = new Map<string, FieldRule>(
  SUBGRAPHS.flatMap(({ name }) => [
    ...fieldRules(parse(readFileSync(join(__dirname, '../../subgraphs', name, 'src/schema.graphql'), 'utf8'))),
  ]),
);
const ROOTS = ['Query', 'Mutation'] as const;
const ROOT_FIELDS = ROOTS.flatMap((root) => {
  const type = root === 'Query' ? API.getQueryType() : API.getMutationType();
  return (
    Object.values(type?.getFields() ?? {})
      // SELF fields (viewer) describe the caller: every authenticated principal may ask
      .filter((f) => RULES.get(`${root}.${f.name}`)?.scope !== 'SELF')
      .map((f) => ({ root, field: f, key: `${root}.${f.name}` }))
  );
});

/** Roles as the walk presents them; `principal` mirrors what the gateway derives from the credential. */
type WalkRole = 'SUPER_ADMIN' | 'OWNER' | 'ADMIN' | 'OPERATOR' | 'VIEWER' | 'END_USER' | 'service' | 'agent' | 'nobody';
const HAS_AGENT_HANDSHAKE = Boolean(API.getMutationType()?.getFields().agentHandshake);
const WALK_ROLES: WalkRole[] = ['SUPER_ADMIN', 'OWNER', 'ADMIN', 'OPERATOR', 'VIEWER', 'END_USER', 'service', 'agent', 'nobody'];

const AUTH_CODES = new Set(['FORBIDDEN', 'UNAUTHORIZED', 'TOKEN_EXPIRED']);

function principalOf(role: WalkRole, accountId: string): Principal | null {
  const base = { teamIds: [], orgIds: [], scopes: [], requestId: 'walk', accountId };
  switch (role) {
    case 'nobody':
      return null;
    case 'SUPER_ADMIN':
      return { ...base, subject: 'walk-super', kind: 'USER', roles: ['SUPER_ADMIN'], superAdmin: true };
    case 'service':
      return { ...base, subject: 'master-key', kind: 'SERVICE', roles: ['SUPER_ADMIN'], superAdmin: true };
    case 'agent':
      return { ...base, subject: 'walk-agent', kind: 'AGENT', roles: ['END_USER'], superAdmin: false };
    default:
      return { ...base, subject: `walk-${role}`, kind: 'USER', roles: [role as Role], superAdmin: false };
  }
}

/** The kit's verdict: allowed only when the principal may perform every action of the field. */
function expectedAllowed(role: WalkRole, actions: Action[], accountId: string): boolean {
  const p = principalOf(role, accountId);
  return p !== null && actions.every((a) => can(p, a));
}

// ---- arguments and selections generated from the schema ----

function valueFor(type: GraphQLInputType, depth = 0): unknown {
  if (isNonNullType(type)) return valueFor(type.ofType, depth);
  if (isListType(type)) return [valueFor(type.ofType, depth)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    if (depth > 5) throw new Error(`input ${type.name} nests too deep to generate`);
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) {
      if (isNonNullType(f.type) && f.defaultValue === undefined) out[f.name] = valueFor(f.type, depth + 1);
    }
    return out;
  }
  switch (type.name) {
    case 'ID':
      return randomUUID();
    case 'String':
      return 'x';
    case 'Int':
      return 1;
    case 'Float':
      return 1;
    case 'Boolean':
      return true;
    case 'DateTime':
      return new Date(Date.now() + 86_400_000).toISOString();
    case 'Decimal':
      return '1';
    case 'JSON':
      return {};
    default:
      return 'x';
  }
}

/** `__typename`, plus the first scalar leaf without required arguments (so the subgraph's resolver must run). */
function selectionFor(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (!isObjectType(named)) return '{ __typename }';
  const leaf = Object.values(named.getFields()).find(
    (f) => isLeafType(getNamedType(f.type)) && f.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined),
  );
  return `{ __typename${leaf ? ` ${leaf.name}` : ''} }`;
}

function operationFor(root: 'Query' | 'Mutation', field: GraphQLField<unknown, unknown>) {
  const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const decl = required.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const pass = required.map((a) => `${a.name}: $${a.name}`).join(', ');
  const query = `${root === 'Query' ? 'query' : 'mutation'} Walk${decl ? `(${decl})` : ''} { ${field.name}${pass ? `(${pass})` : ''} ${selectionFor(field.type)} }`;
  const variables = Object.fromEntries(required.map((a) => [a.name, valueFor(a.type)]));
  return { query, variables };
}

/** Runs `tasks` at most `limit` at a time. */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]();
      }
    }),
  );
  return out;
}

interface Outcome {
  key: string;
  role: WalkRole;
  allowed: boolean;
  status: number;
  code: string | undefined;
  message: string | undefined;
  /** `extensions.details.reason`: BUDGET_EXCEEDED marks a budget denial (FORBIDDEN to spend), not an authorization one. */
  reason: string | undefined;
}

describe('generated RBAC walk over the supergraph', () => {
  let s: TestStack;
  let accountId: string;
  const outcomes = new Map<string, Outcome[]>();

  it('has a rule for every mutation and sensitive query, and no rule for a field that is gone', () => {
    const missing = ROOT_FIELDS.filter((f) => !RULES.get(f.key)?.action).map((f) => f.key);
    expect(missing).toEqual([]);
    const subscription = Object.keys(API.getSubscriptionType()?.getFields() ?? {}).map((n) => `Subscription.${n}`);
    for (const k of subscription) expect(RULES.get(k)?.action).toBeTruthy();
    const api = new Set([
      ...ROOTS.flatMap((r) =>
        Object.keys((r === 'Query' ? API.getQueryType() : API.getMutationType())?.getFields() ?? {}).map((n) => `${r}.${n}`),
      ),
      ...subscription,
    ]);
    expect([...RULES.keys()].filter((k) => !api.has(k))).toEqual([]);
    // the walk below covers every mutation
    expect(ROOT_FIELDS.filter((f) => f.root === 'Mutation').length).toBe(Object.keys(API.getMutationType()!.getFields()).length);
  });

  describe('through the gateway', () => {
    beforeAll(async () => {
      s = await startTestStack();
      const created = ok(
        await s.gql(
          `mutation { createAccount(input: { name: "Walk", emailDomain: "walk.example", planTier: ENTERPRISE }) { id } }`,
          {},
          { token: s.masterKey },
        ),
      );
      accountId = created.createAccount.id;

      const tokens = new Map<WalkRole, { token?: string; accountId?: string }>();
      tokens.set('SUPER_ADMIN', { token: await s.tokenFor('SUPER_ADMIN'), accountId });
      tokens.set('service', { token: s.masterKey, accountId });
      tokens.set('nobody', {});
      for (const r of ['OWNER', 'ADMIN', 'OPERATOR', 'VIEWER', 'END_USER'] as const)
        tokens.set(r, { token: await s.tokenFor(r, accountId) });
      tokens.set('agent', { token: (await agentSession(s, tokens.get('ADMIN')!.token!, 'walk-01')).token });

      const tasks = ROOT_FIELDS.flatMap(({ root, field, key }) => {
        const rule = RULES.get(key);
        if (!rule?.action) return [];
        // walk principals all act on an account, so the account-scoped action is the one that applies
        const actions: Action[] = [rule.action];
        return WALK_ROLES.map((role) => async (): Promise<Outcome> => {
          const { query, variables } = operationFor(root, field);
          const r: GqlResult = await s.gql(query, variables, tokens.get(role));
          return {
            key,
            role,
            allowed: expectedAllowed(role, actions, accountId),
            status: r.status,
            code: codeOf(r),
            message: r.body.errors?.[0]?.message,
            reason: r.body.errors?.[0]?.extensions?.details?.reason,
          };
        });
      });
      for (const o of await pool(tasks, 8)) outcomes.set(o.key, [...(outcomes.get(o.key) ?? []), o]);
      // RBAC_WALK_REPORT=1 prints the matrix of answers (field × role), e.g. to review what allowed calls got
      if (process.env.RBAC_WALK_REPORT) {
        const rows = [...outcomes].map(([key, os]) => ({
          key,
          ...Object.fromEntries(os.map((o) => [o.role, `${o.allowed ? '+' : '-'}${o.code ?? 'OK'}`])),
        }));
        process.stdout.write(`${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
      }
    }, 240_000);
    afterAll(() => s?.close());

    it.each(ROOT_FIELDS.map((f) => f.key))('%s answers every role as the RBAC table says', (key) => {
      const wrong = (outcomes.get(key) ?? [])
        .filter((o) => {
          if (o.role === 'nobody') return o.code !== 'UNAUTHORIZED';
          if (!o.allowed) return o.code !== 'FORBIDDEN';
          // the walk's account has no budget plan, so a permitted spend check is denied by the budget, not by the role
          if (o.code === 'FORBIDDEN' && o.reason === 'BUDGET_EXCEEDED') return false;
          return o.code !== undefined && (AUTH_CODES.has(o.code) || o.code === 'INTERNAL_ERROR');
        })
        .map(
          (o) =>
            `${o.role}: expected ${o.role === 'nobody' ? 'UNAUTHORIZED' : o.allowed ? 'allowed' : 'FORBIDDEN'}, got ${o.code ?? 'success'} (${o.message ?? ''})`,
        );
      expect(outcomes.get(key)?.length).toBe(WALK_ROLES.length);
      expect(wrong).toEqual([]);
    });
  });

  it(HAS_AGENT_HANDSHAKE ? 'walks runtime agents too' : 'has no agent session to walk yet (agentHandshake is not in the API)', () => {
    expect(WALK_ROLES.includes('agent')).toBe(HAS_AGENT_HANDSHAKE);
  });
});
