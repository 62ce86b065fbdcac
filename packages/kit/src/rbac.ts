import { forbidden, invalidRequest, unauthorized } from './errors';
import { ROLE_ORDER, topRole, type AdminRole, type Principal } from './principal';

/**
 * One rule per action: the weakest admin role that may perform it, and whether
 * runtime principals (END_USER, agents) may. The single source for every subgraph
 * (seed 000's matrix × seed 004's roles); an action missing here is denied.
 */
export interface Rule {
  min: AdminRole;
  runtime?: boolean;
}

const SUPER: Rule = { min: 'SUPER_ADMIN' };
const OWNER: Rule = { min: 'OWNER' };
const ADMIN: Rule = { min: 'ADMIN' };
const VIEWER: Rule = { min: 'VIEWER' };

export const RBAC = {
  // identity
  'account.create': SUPER,
  'account.list': SUPER,
  'account.update': SUPER,
  'account.read': VIEWER,
  'accountAdmin.read': VIEWER,
  'accountAdmin.write': OWNER,
  'directory.read': VIEWER,
  'directory.write': ADMIN,
  'apiKey.read': ADMIN,
  'apiKey.write': ADMIN,
  'platformApiKey.write': SUPER,
  // budgets
  'budgetPlan.read': VIEWER,
  'budgetPlan.write': SUPER,
  'usage.write': { min: 'ADMIN', runtime: true },
  // catalog
  'catalog.read': SUPER,
  'catalog.write': SUPER,
  'eligibility.read': VIEWER,
  'eligibility.write': SUPER,
  // guardrails
  'guardrail.read': VIEWER,
  'guardrail.write': ADMIN,
  'guardrailEvent.write': { min: 'ADMIN', runtime: true },
  // observability
  'audit.read': VIEWER,
  'events.subscribe': VIEWER,
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof RBAC;

const rank = (r: AdminRole) => ROLE_ORDER.indexOf(r);

/** Does the principal hold the role (and scope) the action needs, on this account? */
export function can(p: Principal, action: Action, resource?: { accountId?: string | null }): boolean {
  const rule: Rule | undefined = RBAC[action];
  if (!rule) return false;
  if (resource?.accountId !== undefined && !p.superAdmin && p.accountId !== resource.accountId) return false;
  if (p.scopes.length > 0 && !p.scopes.some((s) => scopeMatches(s, action))) return false;
  if (p.superAdmin) return true;
  if (rule.min === 'SUPER_ADMIN') return false;
  if (rule.runtime && (p.roles.includes('END_USER') || p.kind === 'AGENT')) return true;
  const top = topRole(p);
  return top !== null && rank(top) <= rank(rule.min);
}

/** `directory.*` grants every directory action; `*` grants all. */
function scopeMatches(scope: string, action: string): boolean {
  if (scope === '*' || scope === action) return true;
  return scope.endsWith('.*') && action.startsWith(scope.slice(0, -1));
}

/** Throws FORBIDDEN (or UNAUTHORIZED with no principal) unless `can` allows. */
export function authorize(p: Principal | null, action: Action, resource?: { accountId?: string | null }): Principal {
  if (!p) throw unauthorized();
  if (!can(p, action, resource)) throw forbidden(`Not allowed to ${action}`);
  return p;
}

/** The account the request acts on; super admins name it with the X-Account-Id header. */
export function requireAccount(p: Principal): string {
  if (!p.accountId) {
    throw invalidRequest(
      p.superAdmin ? 'Account context required: send the X-Account-Id header' : 'Account context required',
    );
  }
  return p.accountId;
}
