import { createGateway, type Gateway } from '@cockpit/gateway';
import { postJson } from './post-json';
import { ok, startTestStack, type TestStack } from '../support/stack';

/** 15 aliases, each a cross-subgraph path 7 deep: the most expensive shape the operation limits admit (tens of ms to plan). */
const heavy = (salt: string) =>
  `query H${salt} { ${Array.from({ length: 15 }, (_, i) => `a${i}: account { budgetPlan { monthlyCredits } eligibleModels { id } orgs(first: 1) { nodes { teams(first: 1) { nodes { org { name } members(first: 1) { nodes { email } } } } } } }`).join(' ')} }`;

/**
 * Planning-time exhaustion (GW5): the gateway plans in a worker thread with a
 * deadline (`COCKPIT_PLAN_TIMEOUT_MS`). A document whose planning overruns it is
 * refused with INVALID_REQUEST and the bound, while the gateway keeps answering.
 */
describe('query planning is bounded', () => {
  let s: TestStack;
  let strict: Gateway;
  let strictUrl: string;
  let accountId: string;
  beforeAll(async () => {
    s = await startTestStack();
    // a second gateway on the same subgraphs with a 1 ms bound: only a document that takes real planning work overruns it
    strict = await createGateway({ ...s.gatewayConfig, logLevel: 'silent', planTimeoutMs: 1 });
    strictUrl = await strict.listen(0);
    accountId = ok(
      await s.gql(`mutation { createAccount(input: { name: "Plan", emailDomain: "plan.example" }) { id } }`, {}, { token: s.masterKey }),
    ).createAccount.id;
  });
  afterAll(async () => {
    await strict?.close();
    await s?.close();
  });

  const post = (url: string, query: string) =>
    postJson(url, { authorization: `Bearer ${s.masterKey}`, 'x-account-id': accountId }, JSON.stringify({ query }));

  it('refuses a document whose planning overruns the bound, and keeps answering', async () => {
    const [refused, health] = await Promise.all([post(strictUrl, heavy('a')), fetch(strictUrl.replace(/\/graphql$/, '/healthz'))]);
    expect(refused.status).toBe(400);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors[0]).toMatchObject({
      message: expect.stringContaining('longer than 1 ms'),
      extensions: { code: 'INVALID_REQUEST', planTimeoutMs: 1 },
    });
    expect(health.status).toBe(200);
    // refused again (a refusal is not cached as a plan), and the process is unharmed
    expect((await post(strictUrl, heavy('a'))).body.errors[0].extensions.code).toBe('INVALID_REQUEST');
    expect((await fetch(strictUrl.replace(/\/graphql$/, '/readyz'))).status).toBe(200);
  });

  it('the same document is served under the default bound: what refused it was the deadline, not a limit', async () => {
    const r = await post(s.url, heavy('a'));
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.a14).toMatchObject({ orgs: { nodes: [{ teams: { nodes: [] } }] } });
  });
});
