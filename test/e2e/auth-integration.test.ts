import { agentSession } from '../support/agent';
import { codeOf, ok, startTestStack, type GqlResult, type TestStack } from '../support/stack';

/**
 * The gateway's side of identity's lifecycle: suspended accounts, deactivated
 * users, service accounts bounded by their scopes, and runtime-agent sessions
 * revoked at once. Caches run with a 1 s TTL here.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TTL_MS = 1000;

describe('gateway authentication against identity’s lifecycle', () => {
  let s: TestStack;
  const create = `mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }`;
  const newAccount = async (name: string) =>
    ok(await s.gql(create, { i: { name, emailDomain: `${name.toLowerCase()}.example` } }, { token: s.masterKey })).createAccount
      .id as string;
  const createKey = async (token: string, input: string) =>
    ok(await s.gql(`mutation { createApiKey(input: ${input}) { secret apiKey { id } } }`, {}, { token })).createApiKey;
  const refused = (r: GqlResult, message: RegExp) => {
    expect(r.status).toBe(401);
    expect(codeOf(r)).toBe('UNAUTHORIZED');
    expect(r.body.errors![0].message).toMatch(message);
  };

  beforeAll(async () => {
    s = await startTestStack({ apiKeyCacheSeconds: 1 });
  });
  afterAll(() => s.close());

  it('refuses a suspended account’s OIDC tokens and API keys, and lets them back after reactivation', async () => {
    const acme = await newAccount('Suspendo');
    const admin = await s.tokenFor('ADMIN', acme);
    const { secret } = await createKey(admin, `{ name: "ci", tier: ADMIN }`);
    ok(await s.gql(`{ account { id } }`, {}, { token: admin }));
    ok(await s.gql(`{ account { id } }`, {}, { token: secret }));

    ok(await s.gql(`mutation($id: ID!) { suspendAccount(id: $id) { status } }`, { id: acme }, { token: s.masterKey }));
    await sleep(TTL_MS + 200); // what another replica may wait at most
    refused(await s.gql(`{ account { id } }`, {}, { token: admin }), /Account is suspended/);
    refused(await s.gql(`{ account { id } }`, {}, { token: secret }), /Account is suspended/);
    // a super admin still reaches the account, to manage it
    expect(ok(await s.gql(`{ account { status } }`, {}, { token: s.masterKey, accountId: acme })).account.status).toBe('SUSPENDED');

    ok(await s.gql(`mutation($id: ID!) { reactivateAccount(id: $id) { status } }`, { id: acme }, { token: s.masterKey }));
    await sleep(TTL_MS + 200);
    ok(await s.gql(`{ account { id } }`, {}, { token: admin }));
    ok(await s.gql(`{ account { id } }`, {}, { token: secret }));
  });

  it('refuses the key of a deactivated user, and caps a bound key at its tier', async () => {
    const acme = await newAccount('Deactivo');
    const owner = await s.tokenFor('OWNER', acme);
    const user = ok(
      await s.gql(
        `mutation { createUser(input: { email: "ada@deactivo.example", displayName: "Ada", domain: COPILOT }) { id } }`,
        {},
        { token: owner },
      ),
    ).createUser;
    ok(await s.gql(`mutation { addAccountAdmin(input: { email: "ada@deactivo.example", role: OWNER }) { id } }`, {}, { token: owner }));
    const { secret } = await createKey(owner, `{ name: "ada", tier: ADMIN, userId: "${user.id}" }`);
    ok(await s.gql(`mutation { createOrg(input: { name: "Ada Org", domain: CONSOLE }) { id } }`, {}, { token: secret }));
    // Ada is an OWNER, but a key never manages owners: it acts as ADMIN at most
    expect(
      codeOf(
        await s.gql(`mutation { addAccountAdmin(input: { email: "x@deactivo.example", role: VIEWER }) { id } }`, {}, { token: secret }),
      ),
    ).toBe('FORBIDDEN');

    ok(await s.gql(`mutation($id: ID!) { deactivateUser(id: $id) { status } }`, { id: user.id }, { token: owner }));
    await sleep(TTL_MS + 200);
    refused(await s.gql(`{ account { id } }`, {}, { token: secret }), /deactivated/);
  });

  it('bounds a service account’s key by its scopes, and refuses it once disabled', async () => {
    const acme = await newAccount('Servicio');
    const created = ok(
      await s.gql(
        `mutation { createServiceAccount(input: { name: "alchemi-web", scopes: ["directory.read"] }) { secret serviceAccount { id } } }`,
        {},
        { token: s.masterKey },
      ),
    ).createServiceAccount;
    const orgs = ok(await s.gql(`{ account { orgs { nodes { id name } } } }`, {}, { token: s.masterKey, accountId: acme })).account.orgs
      .nodes;
    const global = orgs.find((o: any) => o.name === 'global');

    const read = ok(
      await s.gql(`query($id: ID!) { org(id: $id) { name } }`, { id: global.id }, { token: created.secret, accountId: acme }),
    );
    expect(read.org.name).toBe('global');
    expect(codeOf(await s.gql(`{ accounts { totalCount } }`, {}, { token: created.secret }))).toBe('FORBIDDEN');
    expect(
      codeOf(
        await s.gql(
          `mutation { createOrg(input: { name: "Nope", domain: COPILOT }) { id } }`,
          {},
          { token: created.secret, accountId: acme },
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(
      codeOf(
        await s.gql(
          `mutation { createAccount(input: { name: "Nope", emailDomain: "nope.example" }) { id } }`,
          {},
          { token: created.secret },
        ),
      ),
    ).toBe('FORBIDDEN');

    ok(
      await s.gql(
        `mutation($id: ID!) { disableServiceAccount(id: $id) { disabledAt } }`,
        { id: created.serviceAccount.id },
        { token: s.masterKey },
      ),
    );
    await sleep(TTL_MS + 200);
    const after = await s.gql(`query($id: ID!) { org(id: $id) { name } }`, { id: global.id }, { token: created.secret, accountId: acme });
    expect(after.status).toBe(401);
    expect(codeOf(after)).toBe('UNAUTHORIZED');
  });

  it('accepts a runtime agent’s session token, and refuses it right after the agent is revoked', async () => {
    const acme = await newAccount('Agentes');
    const admin = await s.tokenFor('ADMIN', acme);
    const { token: session, agentId } = await agentSession(s, admin, 'mac-01');
    const CHALLENGE = `mutation($a: ID!) { agentChallenge(agentId: $a) { nonce } }`;

    // the session is a runtime principal of its account: runtime calls pass, admin reads do not
    expect(ok(await s.gql(CHALLENGE, { a: agentId }, { token: session })).agentChallenge.nonce).toEqual(expect.any(String));
    expect(codeOf(await s.gql(`{ runtimeAgents { totalCount } }`, {}, { token: session }))).toBe('FORBIDDEN');
    const other = await newAccount('Otros');
    expect(codeOf(await s.gql(`{ account { id } }`, {}, { token: session, accountId: other }))).toBe('FORBIDDEN');
    // a tampered session is refused
    const [h, p] = session.split('.');
    refused(await s.gql(CHALLENGE, { a: agentId }, { token: `${h}.${p}.${'A'.repeat(86)}` }), /Invalid agent session/);

    ok(await s.gql(`mutation($id: ID!) { revokeRuntimeAgent(id: $id) { status } }`, { id: agentId }, { token: admin }));
    // no cache: the very next request is refused
    refused(await s.gql(CHALLENGE, { a: agentId }, { token: session }), /revoked/i);
  });
});
