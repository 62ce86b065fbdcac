import type { Action } from './rbac';

/**
 * The RBAC action each root field of the supergraph authorizes with, keyed
 * `Query.<field>`, `Mutation.<field>` or `Subscription.<field>`. An array means
 * the resolver requires every action listed. The single table the generated
 * RBAC walk (test/e2e/rbac-walk.test.ts) checks the running API against: a root
 * field missing here fails that test, so a new mutation cannot ship without a rule.
 *
 * Where the action depends on the request (apiKeys/createApiKey/revokeApiKey use
 * platformApiKey.write for a super admin without X-Account-Id), the entry is the
 * action of the account-scoped call, which is what every non-super-admin makes.
 */
export const OPERATION_ACTIONS: Record<string, Action | Action[]> = {
  // budgets
  'Query.budgetPlan': 'budgetPlan.read',
  'Mutation.setBudgetPlan': 'budgetPlan.write',
  // catalog
  'Query.models': 'catalog.read',
  'Query.model': 'catalog.read',
  'Mutation.createModel': 'catalog.write',
  'Mutation.updateModel': 'catalog.write',
  'Mutation.setEligibleModels': 'eligibility.write',
  // guardrails
  'Query.guardrailPresets': 'guardrail.read',
  'Query.guardrailPreset': 'guardrail.read',
  'Mutation.createGuardrailPreset': 'guardrail.write',
  'Mutation.updateGuardrailPreset': 'guardrail.write',
  'Mutation.deleteGuardrailPreset': 'guardrail.write',
  // identity: accounts and their admins
  'Query.account': 'account.read',
  'Query.accounts': 'account.list',
  'Mutation.createAccount': 'account.create',
  'Mutation.addAccountAdmin': 'accountAdmin.write',
  'Mutation.setAccountAdminRole': 'accountAdmin.write',
  'Mutation.removeAccountAdmin': 'accountAdmin.write',
  'Mutation.updateAccount': 'account.update',
  'Mutation.suspendAccount': 'account.update',
  'Mutation.reactivateAccount': 'account.update',
  'Mutation.deleteAccount': 'account.update',
  // identity: per-account SSO
  'Query.ssoStatus': 'sso.read',
  'Mutation.setAccountSso': 'sso.write',
  // identity: directory
  'Query.org': 'directory.read',
  'Query.team': 'directory.read',
  'Query.user': 'directory.read',
  'Mutation.createOrg': 'directory.write',
  'Mutation.createTeam': 'directory.write',
  'Mutation.createUser': 'directory.write',
  'Mutation.addTeamMember': 'directory.write',
  'Mutation.moveTeam': 'directory.write',
  'Mutation.removeTeamMember': 'directory.write',
  'Mutation.deactivateUser': 'directory.write',
  'Mutation.reactivateUser': 'directory.write',
  // identity: API keys
  'Query.apiKeys': 'apiKey.read',
  'Query.apiKey': 'apiKey.read',
  'Mutation.createApiKey': 'apiKey.write',
  'Mutation.revokeApiKey': 'apiKey.write',
  // identity: service accounts (platform-level principals)
  'Query.serviceAccounts': 'platformApiKey.read',
  'Mutation.createServiceAccount': 'platformApiKey.write',
  'Mutation.disableServiceAccount': 'platformApiKey.write',
  // identity: runtime agents
  'Query.runtimeAgents': 'runtimeAgent.read',
  'Query.runtimeAgent': 'runtimeAgent.read',
  'Mutation.registerRuntimeAgent': 'runtimeAgent.write',
  'Mutation.revokeRuntimeAgent': 'runtimeAgent.write',
  'Mutation.agentChallenge': 'agentSync.write',
  'Mutation.agentHandshake': 'agentSync.write',
  // observability
  'Query.auditLog': 'audit.read',
  'Query.event': 'audit.read',
  'Query.auditIntegrity': 'audit.read',
  'Subscription.events': 'events.subscribe',
};

/**
 * Root query fields every authenticated caller may use, whatever its role (they
 * describe the caller itself); the RBAC walk exempts them.
 */
export const PUBLIC_QUERY_FIELDS: readonly string[] = ['viewer'];
