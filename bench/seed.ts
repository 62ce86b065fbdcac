/** The dashboard workload the edge and peer benchmarks share: one seeded account and the query its dashboard sends. */

/** Posts an operation to a gateway with the master key (optionally acting on an account); throws on GraphQL errors. */
export type MasterPoster = (query: string, variables?: Record<string, unknown>, accountId?: string) => Promise<any>;

export const DASHBOARD = `{
  account {
    name planTier
    budgetPlan { monthlyCredits overflowLimit cycle }
    eligibleModels { name provider { name } }
    orgs(first: 20) { nodes { name teams { totalCount nodes { name memberCount } } } }
  }
  guardrailPresets { nodes { name severity } }
  auditLog(first: 50) { nodes { seq type } }
}`;

/**
 * An ENTERPRISE account with a budget plan, 3 of 4 catalog models eligible, 20
 * orgs (its `global` and 19 more) × 3 teams × 2 members, 3 guardrail presets
 * and ≈ 300 audit events (every write above). Returns the account's id.
 */
export async function seedDashboardAccount(gql: MasterPoster): Promise<string> {
  const account = (
    await gql(`mutation { createAccount(input: { name: "Dashboard", emailDomain: "bench.example", planTier: ENTERPRISE }) { id } }`)
  ).createAccount.id as string;
  const models: string[] = [];
  const providers = new Map<string, string>();
  for (const [name, kind] of [
    ['openai', 'OPENAI'],
    ['anthropic', 'ANTHROPIC'],
    ['mistral', 'OPENAI_COMPATIBLE'],
  ]) {
    const p = await gql(
      `mutation($n: String!, $k: ProviderKind!, $u: String) { createProvider(input: { name: $n, kind: $k, baseUrl: $u }) { id } }`,
      {
        n: name,
        k: kind,
        u: kind === 'OPENAI_COMPATIBLE' ? 'https://api.mistral.example/v1' : null,
      },
    );
    providers.set(name, p.createProvider.id);
  }
  for (const [name, provider] of [
    ['gpt-4o', 'openai'],
    ['gpt-4o-mini', 'openai'],
    ['claude-sonnet', 'anthropic'],
    ['mistral-large', 'mistral'],
  ]) {
    const m = await gql(
      `mutation($n: String!, $p: ID!) { createModel(input: { providerId: $p, name: $n, displayName: $n, kind: CHAT, inputPricePerMtok: "2.5", outputPricePerMtok: "10" }) { id } }`,
      { n: name, p: providers.get(provider) },
    );
    models.push(m.createModel.id);
  }
  await gql(`mutation($m: [ID!]!) { setEligibleModels(modelIds: $m) { id } }`, { m: models.slice(0, 3) }, account);
  await gql(`mutation { setBudgetPlan(input: { monthlyCredits: "100000", overflowLimit: "5000" }) { accountId } }`, {}, account);
  for (const [i, severity] of ['LOW', 'MEDIUM', 'HIGH'].entries())
    await gql(
      `mutation($n: String!, $s: GuardrailSeverity!) { createGuardrailPreset(input: { name: $n, severity: $s, config: { piiRedaction: true } }) { id } }`,
      { n: `preset-${i}`, s: severity },
      account,
    );
  // orgs in parallel (each one's writes in order)
  await Promise.all(
    Array.from({ length: 19 }, async (_, o) => {
      const org = (
        await gql(`mutation($n: String!) { createOrg(input: { name: $n, domain: COPILOT }) { id } }`, { n: `org-${o}` }, account)
      ).createOrg.id;
      for (let t = 0; t < 3; t++) {
        const team = (
          await gql(
            `mutation($o: ID!, $n: String!) { createTeam(input: { orgId: $o, name: $n }) { id } }`,
            { o: org, n: `team-${t}` },
            account,
          )
        ).createTeam.id;
        for (let u = 0; u < 2; u++) {
          const user = (
            await gql(
              `mutation($e: String!) { createUser(input: { email: $e, displayName: "U", domain: COPILOT }) { id } }`,
              { e: `u${o}-${t}-${u}@bench.example` },
              account,
            )
          ).createUser.id;
          await gql(
            `mutation($t: ID!, $u: ID!) { addTeamMember(input: { teamId: $t, userId: $u }) { id } }`,
            { t: team, u: user },
            account,
          );
        }
      }
    }),
  );
  return account;
}

/** The dashboard's answer is complete: 20 orgs, 57 teams, 50 audit events, 3 presets. */
export function checkDashboard(data: any): string | undefined {
  if (!data?.account) return 'no account';
  const teams = data.account.orgs.nodes.reduce((n: number, o: any) => n + o.teams.nodes.length, 0);
  if (data.account.orgs.nodes.length !== 20 || teams !== 57 || data.auditLog.nodes.length < 50 || data.guardrailPresets.nodes.length !== 3)
    return 'incomplete';
  return undefined;
}
