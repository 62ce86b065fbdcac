import { randomBytes } from 'node:crypto';
import { ok, type TestStack } from './stack';

/** One account with a plan and a Copilot tree of its own, built through the gateway as a super admin (master key). */
export interface BudgetAccount {
  id: string;
  as: { token: string; accountId: string };
  org: (name: string, domain?: 'COPILOT' | 'CONSOLE') => Promise<string>;
  team: (orgId: string, name: string) => Promise<string>;
  user: (email: string, teamIds?: string[], domain?: 'COPILOT' | 'CONSOLE') => Promise<string>;
  join: (teamId: string, userId: string) => Promise<void>;
}

export async function budgetAccount(
  s: TestStack,
  plan: { monthlyCredits: string; overflowLimit?: string; creditFactor?: string } | null,
  planTier: 'FREE' | 'TEAM' | 'ENTERPRISE' = 'ENTERPRISE',
): Promise<BudgetAccount> {
  const tag = randomBytes(4).toString('hex');
  const master = { token: s.masterKey };
  const { createAccount } = ok(
    await s.gql(
      `mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }`,
      { i: { name: `Budgets ${tag}`, emailDomain: `b${tag}.example`, planTier } },
      master,
    ),
  );
  const as = { token: s.masterKey, accountId: createAccount.id as string };
  if (plan) ok(await s.gql(`mutation($i: SetBudgetPlanInput!) { setBudgetPlan(input: $i) { accountId } }`, { i: plan }, as));
  const join = async (teamId: string, userId: string) => {
    ok(await s.gql(`mutation($i: AddTeamMemberInput!) { addTeamMember(input: $i) { id } }`, { i: { teamId, userId } }, as));
  };
  return {
    id: createAccount.id,
    as,
    org: async (name, domain = 'COPILOT') =>
      ok(await s.gql(`mutation($i: CreateOrgInput!) { createOrg(input: $i) { id } }`, { i: { name, domain } }, as)).createOrg.id,
    team: async (orgId, name) =>
      ok(await s.gql(`mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }`, { i: { orgId, name } }, as)).createTeam.id,
    user: async (email, teamIds = [], domain = 'COPILOT') => {
      const id = ok(
        await s.gql(
          `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`,
          { i: { email, displayName: email.split('@')[0], domain } },
          as,
        ),
      ).createUser.id as string;
      for (const t of teamIds) await join(t, id);
      return id;
    },
    join,
  };
}

export const NODE_FIELDS = `scopeType scopeId allocated unallocated used remaining`;
export const ALLOCATE = `mutation($i: AllocateCreditsInput!) { allocateCredits(input: $i) { ${NODE_FIELDS} } }`;
export const NODE = `query($t: BudgetScopeType!, $id: ID!) { budgetNode(scopeType: $t, scopeId: $id) { ${NODE_FIELDS} } }`;
