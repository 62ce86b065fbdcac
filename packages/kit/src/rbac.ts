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

const OPERATOR: Rule = { min: 'OPERATOR' };
/** Runtime writes: END_USER principals and agents, plus admins acting for them. */
const RUNTIME: Rule = { min: 'ADMIN', runtime: true };

export const RBAC = {
  // Directory — super admin: full; account admin: account scoped; end user: none (seed 000)
  'account.create': SUPER,
  'account.list': SUPER,
  'account.update': SUPER,
  'account.read': VIEWER,
  'accountSettings.write': OWNER, // seed 004: owner manages org settings and billing
  'accountAdmin.read': VIEWER,
  'accountAdmin.write': OWNER, // seed 004: owner manages users and roles
  'directory.read': VIEWER,
  'directory.write': ADMIN,
  'sso.read': ADMIN,
  'sso.write': SUPER,
  'apiKey.read': ADMIN,
  'apiKey.write': ADMIN, // seed 004: admin manages keys
  'platformApiKey.read': SUPER,
  'platformApiKey.write': SUPER,
  'runtimeAgent.read': VIEWER,
  'runtimeAgent.write': ADMIN, // seed 004: admin manages agents
  // Budgets and credits — super admin: plan and account allocation; admin: allocations; end user: usage writes
  'budgetPlan.read': VIEWER,
  'budgetPlan.write': SUPER,
  'allocation.read': VIEWER,
  'allocation.write': ADMIN,
  'allocation.readOwn': { min: 'VIEWER', runtime: true }, // a runtime caller's own effective allocation
  'spend.authorize': RUNTIME, // the check before a spend (authorizeSpend)
  'costs.read': VIEWER,
  'costs.readOwn': { min: 'VIEWER', runtime: true }, // a runtime caller's own cost breakdown (myCostBreakdown)
  'usage.write': RUNTIME,
  // Models — super admin: catalog and eligibility; admin: selection and effective set
  'catalog.read': SUPER,
  'catalog.write': SUPER,
  'eligibility.read': VIEWER,
  'eligibility.write': SUPER,
  'modelSelection.read': VIEWER,
  'modelSelection.write': ADMIN,
  // the caller's own effective models: every account role, and end users and agents (runtime callers pick models)
  'effectiveModels.read': { min: 'VIEWER', runtime: true },
  // Console (BYOK) models, governed apart (CA4) — super admin: the policy per account; admin: grants per CONSOLE scope
  'consolePolicy.read': VIEWER,
  'consolePolicy.write': SUPER,
  'consoleModelSelection.read': VIEWER,
  'consoleModelSelection.write': ADMIN,
  // Agent definitions, marketplace, connections/tools, feature entitlements — account scoped for admins
  'agentDefinition.read': VIEWER,
  'agentDefinition.write': ADMIN,
  // the agents the caller may use (granted to their user, teams or orgs): every account role, end users and agents
  'agentDefinition.readOwn': { min: 'VIEWER', runtime: true },
  'marketplace.read': VIEWER,
  'marketplace.write': ADMIN,
  // the marketplace as the caller sees it (published items granted to their user, teams or orgs): every account role, end users and agents
  'marketplace.discover': { min: 'VIEWER', runtime: true },
  'connection.read': VIEWER,
  'connection.write': ADMIN,
  // the connections the caller may use (granted to their user, teams or orgs): every account role, end users and agents
  'connection.readOwn': { min: 'VIEWER', runtime: true },
  'entitlement.read': VIEWER, // the account's feature pack (CA9)
  'entitlement.write': SUPER,
  'featureSelection.read': VIEWER, // entitlements per scope within the pack, and others' effective features
  'featureSelection.write': ADMIN,
  'effectiveFeatures.read': { min: 'VIEWER', runtime: true }, // the caller's own, like effectiveModels.read
  // Guardrails and policies — end user: runtime event writes only
  'guardrail.read': VIEWER,
  'guardrail.write': ADMIN,
  'guardrailEvent.write': RUNTIME,
  'policy.read': VIEWER,
  'policy.simulate': VIEWER, // seed 004: POST /policies/test is viewer+
  'policy.write': ADMIN, // seed 004: admin+ edits and distributes policies
  'policySync.read': RUNTIME,
  // Observability — viewer+ reads; admin+ exports and alert settings; operator+ autopilot control
  'audit.read': VIEWER,
  'audit.export': ADMIN,
  'events.subscribe': VIEWER,
  'session.read': VIEWER,
  'risk.read': VIEWER,
  'riskAlert.write': ADMIN,
  'autopilot.control': OPERATOR,
  'agentSync.write': RUNTIME,
  // Support and notification templates — account scoped for admins
  'support.read': VIEWER,
  'support.write': ADMIN,
  'template.read': VIEWER,
  'template.write': ADMIN,
  // Global operations — super admin only
  'globalOps.read': SUPER,
  'globalOps.write': SUPER,
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

/** Does the scope grant at least one action, matched as `can` matches it? A scope that grants nothing is a typo. */
export function isGrantingScope(scope: string): boolean {
  return Object.keys(RBAC).some((action) => scopeMatches(scope, action));
}

/** Throws FORBIDDEN unless a service (gateway, relay, CLI) is calling: for internal routes. */
export function requireService(p: Principal, what: string): Principal {
  if (p.kind !== 'SERVICE') throw forbidden(`Only services may ${what}`);
  return p;
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
    throw invalidRequest(p.superAdmin ? 'Account context required: send the X-Account-Id header' : 'Account context required');
  }
  return p.accountId;
}
