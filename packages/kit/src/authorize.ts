import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type ConstDirectiveNode, type DocumentNode } from 'graphql';
import { notFound, unauthorized } from './errors';
import type { Principal } from './principal';
import { authorize, RBAC, requireAccount, type Action } from './rbac';

/**
 * Which account a root field acts on, declared next to the field in the SDL
 * (`@authorize(action: "directory.write", scope: ACCOUNT)`):
 * - ACCOUNT: the principal's account (a super admin names it with X-Account-Id); required.
 * - PLATFORM: across accounts (super-admin actions); the principal's account, if any, is only a default target.
 * - ACCOUNT_OR_PLATFORM: the principal's account; a super admin without one acts on the platform,
 *   authorized with `platformAction` when the platform variant is a different action.
 * - SELF: the caller itself (`viewer`); no action, any authenticated principal.
 */
export const AUTH_SCOPES = ['ACCOUNT', 'PLATFORM', 'ACCOUNT_OR_PLATFORM', 'SELF'] as const;
export type AuthScope = (typeof AUTH_SCOPES)[number];

/** The declaration of one root field, read from its `@authorize` directive. */
export interface FieldRule {
  /** `Query.org`, `Mutation.createOrg`, `Subscription.events`. */
  field: string;
  scope: AuthScope;
  /** null only for SELF. */
  action: Action | null;
  platformAction: Action | null;
}

/** What the kit decided for one root field: the scope its reads and writes run in. */
export interface ActingScope {
  /** The account acted on; null on the platform. */
  accountId: string | null;
  /** Transactions see every account's rows (super admins only). */
  platform: boolean;
}

export const ROOT_TYPES = ['Query', 'Mutation', 'Subscription'] as const;

/** The `@authorize` directive and its `AuthScope` enum, declared once for every subgraph (codegen reads this file too). */
export const AUTHORIZE_SDL_FILE = join(__dirname, 'authorize.graphql');

/**
 * A subgraph's type definitions: its own SDL file with the kit's `@authorize`
 * declaration added. Its `@link` must import `@inaccessible`, which hides
 * `AuthScope` from the supergraph's API.
 */
export function subgraphTypeDefs(schemaFile: string): DocumentNode {
  const own = readFileSync(schemaFile, 'utf8');
  if (!/@link\([^)]*import:[^)]*"@inaccessible"/s.test(own))
    throw new Error(`${schemaFile}: its @link must import "@inaccessible" (the kit's @authorize declaration uses it)`);
  return parse(`${own}\n${readFileSync(AUTHORIZE_SDL_FILE, 'utf8')}`);
}

/**
 * Every root field's declaration. Throws, naming the field, when a root field
 * has no `@authorize` or names an action the RBAC table does not know: a
 * subgraph with an undeclared operation does not start.
 */
export function fieldRules(typeDefs: DocumentNode): Map<string, FieldRule> {
  const rules = new Map<string, FieldRule>();
  const problems: string[] = [];
  for (const def of typeDefs.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    if (!(ROOT_TYPES as readonly string[]).includes(def.name.value)) continue;
    for (const f of def.fields ?? []) {
      const field = `${def.name.value}.${f.name.value}`;
      const d = f.directives?.find((x) => x.name.value === 'authorize');
      if (!d) {
        problems.push(`${field} has no @authorize declaration`);
        continue;
      }
      const rule = ruleOf(field, d, problems);
      if (rule) rules.set(field, rule);
    }
  }
  if (problems.length) throw new Error(`Authorization declarations are incomplete:\n  - ${problems.join('\n  - ')}`);
  return rules;
}

function ruleOf(field: string, d: ConstDirectiveNode, problems: string[]): FieldRule | null {
  const arg = (name: string) => d.arguments?.find((a) => a.name.value === name)?.value;
  const str = (name: string) => {
    const v = arg(name);
    return v && v.kind === Kind.STRING ? v.value : null;
  };
  const scopeNode = arg('scope');
  const scope = (scopeNode && scopeNode.kind === Kind.ENUM ? scopeNode.value : 'ACCOUNT') as AuthScope;
  if (!AUTH_SCOPES.includes(scope)) problems.push(`${field}: unknown scope ${scope}`);
  const action = str('action');
  const platformAction = str('platformAction');
  for (const a of [action, platformAction]) if (a !== null && !(a in RBAC)) problems.push(`${field}: unknown action ${a}`);
  if (scope !== 'SELF' && action === null) problems.push(`${field}: scope ${scope} needs an action`);
  if (platformAction !== null && scope !== 'ACCOUNT_OR_PLATFORM') problems.push(`${field}: platformAction needs scope ACCOUNT_OR_PLATFORM`);
  return { field, scope, action: action as Action | null, platformAction: platformAction as Action | null };
}

/**
 * The one answer to "which account does this request act on": checks the
 * declared action (FORBIDDEN), then that the scope has the account it needs
 * (INVALID_REQUEST), and returns the scope the field's transactions run in.
 */
export function actingScope(p: Principal | null, rule: FieldRule): ActingScope {
  if (!p) throw unauthorized();
  switch (rule.scope) {
    case 'SELF':
      return { accountId: p.accountId, platform: false };
    case 'ACCOUNT':
      authorize(p, rule.action!);
      return { accountId: requireAccount(p), platform: false };
    case 'PLATFORM':
      authorize(p, rule.action!);
      return { accountId: p.accountId, platform: true };
    case 'ACCOUNT_OR_PLATFORM':
      // no account named: the platform variant, which only a super admin gets past
      authorize(p, p.accountId ? rule.action! : (rule.platformAction ?? rule.action!));
      if (p.superAdmin && !p.accountId) return { accountId: null, platform: true };
      return { accountId: requireAccount(p), platform: false };
  }
}

/** May this principal see rows of `accountId` at all? Another tenant's rows answer NOT_FOUND, never FORBIDDEN. */
export function visibleTo(p: Principal, accountId: string | null): boolean {
  return p.superAdmin || (accountId !== null && p.accountId === accountId);
}

/** For fields below the root (`Account.orgs`): the tenant check first (NOT_FOUND), then the role check (FORBIDDEN). */
export function authorizeOn(p: Principal, action: Action, accountId: string, what: string): Principal {
  if (!visibleTo(p, accountId)) throw notFound(what);
  return authorize(p, action);
}
