import { eventually, ok, startTestStack, type TestStack } from '../support/stack';

/** A plan, a catalog model and a guardrail preset, read back in one query spanning four subgraphs, then audited. */
describe('one query across subgraphs, and the audit trail of its writes', () => {
  let s: TestStack;
  let superToken: string;
  let account: string;
  let admin: string;

  beforeAll(async () => {
    s = await startTestStack();
    superToken = await s.tokenFor('SUPER_ADMIN');
    const a = ok(
      await s.gql(
        `mutation { createAccount(input: { name: "Initech", emailDomain: "initech.example", planTier: ENTERPRISE }) { id } }`,
        {},
        { token: superToken },
      ),
    );
    account = a.createAccount.id;
    admin = await s.tokenFor('ADMIN', account);
  });
  afterAll(() => s.close());

  it('writes in three subgraphs and reads them back through the gateway in one query', async () => {
    ok(
      await s.gql(
        `mutation { setBudgetPlan(input: { monthlyCredits: "10000", overflowLimit: "2000", creditFactor: "1.25" }) { accountId } }`,
        {},
        { token: superToken, accountId: account },
      ),
    );
    const provider = ok(
      await s.gql(`mutation { createProvider(input: { name: "openai", kind: OPENAI }) { id } }`, {}, { token: superToken }),
    );
    const model = ok(
      await s.gql(
        `mutation($p: ID!) { createModel(input: { providerId: $p, name: "gpt-4o", displayName: "GPT-4o", kind: CHAT, inputPricePerMtok: "2.5", outputPricePerMtok: "10" }) { id } }`,
        { p: provider.createProvider.id },
        { token: superToken },
      ),
    );
    ok(
      await s.gql(
        `mutation($ids: [ID!]!) { setEligibleModels(modelIds: $ids) { id } }`,
        { ids: [model.createModel.id] },
        { token: superToken, accountId: account },
      ),
    );
    ok(
      await s.gql(
        `mutation { createGuardrailPreset(input: { name: "No secrets", severity: HIGH, config: { blockedTerms: ["password"] } }) { id } }`,
        {},
        { token: admin },
      ),
    );

    const data = ok(
      await s.gql(
        `{ account { name budgetPlan { monthlyCredits overflowLimit creditFactor cycle } eligibleModels { name provider { name } inputPricePerMtok } }
           guardrailPresets { totalCount nodes { name severity config } } }`,
        {},
        { token: admin },
      ),
    );
    expect(data).toEqual({
      account: {
        name: 'Initech',
        budgetPlan: { monthlyCredits: '10000', overflowLimit: '2000', creditFactor: '1.25', cycle: 'MONTHLY' },
        eligibleModels: [{ name: 'gpt-4o', provider: { name: 'openai' }, inputPricePerMtok: '2.5' }],
      },
      guardrailPresets: { totalCount: 1, nodes: [{ name: 'No secrets', severity: 'HIGH', config: { blockedTerms: ['password'] } }] },
    });
  });

  it('records every write in the account audit log, with a verified hash chain', async () => {
    const types = ['account.created', 'budget.plan.set', 'account.eligible_models.set', 'guardrail_preset.created'];
    const log = await eventually(async () => {
      const r = ok(
        await s.gql(
          `{ auditLog(first: 50) { totalCount nodes { seq type source actor { subject kind } account { id name } } } }`,
          {},
          { token: admin },
        ),
      );
      const seen = r.auditLog.nodes.map((n: any) => n.type);
      return types.every((t) => seen.includes(t)) ? r.auditLog : undefined;
    });
    expect(log.totalCount).toBe(types.length);
    expect(log.nodes.map((n: any) => n.seq)).toEqual([4, 3, 2, 1]); // newest first, no gaps
    expect(log.nodes[0].account).toEqual({ id: account, name: 'Initech' }); // resolved by identity
    const integrity = ok(await s.gql(`{ auditIntegrity { verified gaps breaks firstBrokenSeq headSeq } }`, {}, { token: admin }));
    expect(integrity.auditIntegrity).toEqual({ verified: 4, gaps: 0, breaks: 0, firstBrokenSeq: null, headSeq: 4 });
    // the catalog write belongs to the platform, not to the account
    const platform = await eventually(async () => {
      const r = ok(await s.gql(`{ auditLog(filter: { types: ["model.created"] }) { totalCount } }`, {}, { token: superToken }));
      return r.auditLog.totalCount === 1 ? r : undefined;
    });
    expect(platform.auditLog.totalCount).toBe(1);
  });

  it('detects tampering with a stored event', async () => {
    await s.subgraphs.observability.orm.em
      .getConnection()
      .execute(`update observability.event set payload = '{"forged": true}' where account_id = ? and seq = 2`, [account]);
    const integrity = ok(await s.gql(`{ auditIntegrity { breaks firstBrokenSeq } }`, {}, { token: admin }));
    expect(integrity.auditIntegrity.breaks).toBeGreaterThan(0);
    expect(integrity.auditIntegrity.firstBrokenSeq).toBe(2);
  });
});
