import { createGateway, type CredentialChange, type Gateway } from '@cockpit/gateway';
import { createObservabilitySubgraph, createPostgresLiveBus } from '@cockpit/observability';
import { SUBGRAPH_NAMES, testLogger, type BuiltSubgraph } from '@cockpit/kit';
import { codeOf, ok, startTestStack, type GqlResult, type TestStack } from '../support/stack';

// LISTEN/NOTIFY needs real PostgreSQL sessions: PGlite's socket connections share one.
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

/**
 * Two gateways, each on its own observability replica, sharing the PostgreSQL
 * live bus: a credential revoked through gateway A is refused by gateway B as
 * soon as identity's `credentials.changed` reaches B, not when B's 30 s cache
 * expires (both gateways keep their caches for 30 s here).
 */
onPostgres('credential changes reach every gateway replica at once (PostgreSQL live bus)', () => {
  let s: TestStack;
  let replicaBus: Awaited<ReturnType<typeof createPostgresLiveBus>>;
  let replica: BuiltSubgraph;
  let b: Gateway;
  let bUrl: string;
  let acme: string;
  let owner: string;
  const changes: CredentialChange[] = [];
  const waiters: { cause: string; resolve: () => void }[] = [];

  /** Resolves when gateway B hears identity's change caused by `cause` (registered before the write). */
  const heardOnB = (cause: string) =>
    new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`gateway B never heard ${cause}`)), 20_000);
      waiters.push({
        cause,
        resolve: () => {
          clearTimeout(t);
          resolve();
        },
      });
    });
  const onB = async (query: string, token: string): Promise<GqlResult> => {
    const res = await fetch(bUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as GqlResult['body'] };
  };
  const onA = (query: string, variables: Record<string, unknown> = {}) => s.gql(query, variables, { token: owner });
  const createOrg = (n: string) => `mutation { createOrg(input: { name: "${n}", domain: COPILOT }) { id } }`;

  beforeAll(async () => {
    s = await startTestStack({ postgresLiveBus: true, apiKeyCacheSeconds: 30 });
    replicaBus = await createPostgresLiveBus({ url: s.databaseUrl, log: testLogger() });
    replica = await createObservabilitySubgraph({
      databaseUrl: s.databaseUrl,
      gatewayPublicKey: s.keys.gateway.publicKey,
      serviceKey: s.keys.observability.privateKey,
      serviceKeys: Object.fromEntries(SUBGRAPH_NAMES.filter((n) => n !== 'observability').map((n) => [n, s.keys[n].publicKey])),
      observabilityUrl: 'http://127.0.0.1:9/unused',
      log: testLogger(),
      bus: replicaBus,
    });
    const replicaUrl = await replica.listen();
    b = await createGateway(
      { ...s.gatewayConfig, subgraphUrls: { ...s.subgraphUrls, observability: replicaUrl }, logLevel: 'silent' },
      testLogger(),
    );
    const connected = new Promise<void>((resolve) =>
      b.credentialEvents.on('change', (c) => {
        changes.push(c);
        if (c.reason === 'RECONNECTED') resolve();
        for (const w of waiters.filter((w) => w.cause === c.cause)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }),
    );
    bUrl = await b.listen(0, '127.0.0.1');
    await connected; // B listens on its replica's platform feed from here on

    acme = ok(
      await s.gql(
        `mutation { createAccount(input: { name: "Acme Replicas", emailDomain: "acme.example", planTier: TEAM }) { id } }`,
        {},
        { token: s.masterKey },
      ),
    ).createAccount.id;
    owner = await s.tokenFor('OWNER', acme);
  });
  afterAll(async () => {
    await b?.close();
    await replica?.close();
    await replicaBus?.close();
    await s?.close();
  });

  it('refuses a demoted or removed account admin on B at once', async () => {
    const ada = ok(await onA(`mutation { addAccountAdmin(input: { email: "ada@acme.example", role: ADMIN }) { id } }`)).addAccountAdmin.id;
    const bob = ok(await onA(`mutation { addAccountAdmin(input: { email: "bob@acme.example", role: ADMIN }) { id } }`)).addAccountAdmin.id;
    const adaToken = await s.issuer.token({ sub: 'sso|ada', email: 'ada@acme.example', cockpit_account_id: acme });
    const bobToken = await s.issuer.token({ sub: 'sso|bob', email: 'bob@acme.example', cockpit_account_id: acme });
    // B caches both as ADMIN
    expect(ok(await onB(createOrg('ada on B'), adaToken)).createOrg.id).toBeTruthy();
    expect(ok(await onB(createOrg('bob on B'), bobToken)).createOrg.id).toBeTruthy();

    const demoted = heardOnB('account_admin.role_changed');
    ok(await onA(`mutation($i: SetAccountAdminRoleInput!) { setAccountAdminRole(input: $i) { id } }`, { i: { id: ada, role: 'VIEWER' } }));
    await demoted;
    expect(codeOf(await onB(createOrg('ada again'), adaToken))).toBe('FORBIDDEN');

    const removed = heardOnB('account_admin.removed');
    ok(await onA(`mutation($id: ID!) { removeAccountAdmin(id: $id) { id } }`, { id: bob }));
    await removed;
    expect(codeOf(await onB(createOrg('bob again'), bobToken))).toBe('FORBIDDEN');
  });

  it('refuses a revoked key and a deactivated user’s key on B at once', async () => {
    const created = ok(
      await onA(`mutation { createApiKey(input: { name: "to revoke", tier: ADMIN }) { secret apiKey { id } } }`),
    ).createApiKey;
    const user = ok(await onA(`mutation { createUser(input: { email: "cy@acme.example", displayName: "Cy", domain: COPILOT }) { id } }`))
      .createUser.id;
    const bound = ok(
      await onA(`mutation($u: ID!) { createApiKey(input: { name: "cy", tier: CLIENT, userId: $u }) { secret } }`, { u: user }),
    ).createApiKey.secret;
    const VIEWER = `{ viewer { kind } }`;
    // B caches both keys as valid
    expect(ok(await onB(VIEWER, created.secret)).viewer.kind).toBe('API_KEY');
    expect(ok(await onB(VIEWER, bound)).viewer.kind).toBe('API_KEY');

    const revoked = heardOnB('api_key.revoked');
    ok(await onA(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: created.apiKey.id }));
    await revoked;
    expect((await onB(VIEWER, created.secret)).status).toBe(401);

    const deactivated = heardOnB('user.deactivated');
    ok(await onA(`mutation($id: ID!) { deactivateUser(id: $id) { id } }`, { id: user }));
    await deactivated;
    expect((await onB(VIEWER, bound)).status).toBe(401);
    expect(changes.filter((c) => c.accountId === acme).map((c) => c.reason)).toEqual(
      expect.arrayContaining(['ACCOUNT_ADMIN', 'API_KEY', 'USER_STATUS']),
    );
  });
});
