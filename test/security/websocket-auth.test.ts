/**
 * Credentials on the graphql-ws endpoint: a client can tell "refresh your token"
 * from "this credential is refused", and a principal's changed rights reach its
 * live subscriptions without a reconnect.
 */
import WebSocket from 'ws';
import type { Client } from 'graphql-ws';
import { codeOf, eventually, ok, startTestStack, type TestStack } from '../support/stack';

const PROTOCOL = 'graphql-transport-ws';

describe('graphql-ws credentials', () => {
  let s: TestStack;
  let account: string;
  let owner: string;
  let userId: string;

  beforeAll(async () => {
    s = await startTestStack();
    const superToken = await s.tokenFor('SUPER_ADMIN');
    account = ok(
      await s.gql(
        `mutation { createAccount(input: { name: "Keyed", emailDomain: "keyed.example", planTier: TEAM }) { id } }`,
        {},
        { token: superToken },
      ),
    ).createAccount.id;
    owner = await s.tokenFor('OWNER', account);
    userId = ok(
      await s.gql(
        `mutation { createUser(input: { email: "dev@keyed.example", displayName: "Dev", domain: COPILOT }) { id } }`,
        {},
        { token: owner },
      ),
    ).createUser.id;
    // a whole stack and an OpenID provider: slow to start on a loaded machine
  }, 120_000);
  afterAll(() => s?.close());

  /** Opens a raw graphql-ws socket, sends `connection_init` with the token, resolves with how it went. */
  function connect(token: string): Promise<{ acked: boolean; close: Promise<{ code: number; reason: string }> }> {
    const ws = new WebSocket(s.wsUrl, PROTOCOL);
    const close = new Promise<{ code: number; reason: string }>((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    return new Promise((resolve, reject) => {
      ws.on('error', reject);
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
      ws.on('message', (m) => JSON.parse(m.toString()).type === 'connection_ack' && resolve({ acked: true, close }));
      void close.then(() => resolve({ acked: false, close }));
    });
  }

  const jwt = (expSecondsFromNow: number) => {
    const now = Math.floor(Date.now() / 1000);
    return s.issuer.sign({
      iss: s.issuer.issuer,
      aud: 'cockpit',
      sub: 'user-expiring',
      iat: now - 3600,
      exp: now + expSecondsFromNow,
      roles: ['ADMIN'],
      cockpit_account_id: account,
    });
  };

  it('a token already expired at connection_init closes 4401 TOKEN_EXPIRED, like HTTP says TOKEN_EXPIRED', async () => {
    const expired = await jwt(-120);
    expect(codeOf(await s.gql(`{ __typename }`, {}, { token: expired }))).toBe('TOKEN_EXPIRED');
    const r = await connect(expired);
    expect(r.acked).toBe(false);
    expect(await r.close).toEqual({ code: 4401, reason: 'TOKEN_EXPIRED' });
  });

  it('a bad credential closes 4401 Unauthorized, so the client knows a refresh will not help', async () => {
    const forged = (await jwt(600)).slice(0, -4) + 'AAAA';
    const r = await connect(forged);
    expect(r.acked).toBe(false);
    expect(await r.close).toEqual({ code: 4401, reason: 'Unauthorized' });
    expect(await (await connect('sk-cap-' + 'a'.repeat(52))).close).toEqual({ code: 4401, reason: 'Unauthorized' });
  });

  it('a token that expires mid-connection closes 4401 TOKEN_EXPIRED at its expiry', async () => {
    const r = await connect(await jwt(3));
    expect(r.acked).toBe(true);
    expect(await r.close).toEqual({ code: 4401, reason: 'TOKEN_EXPIRED' });
  });

  it('a demoted user’s live subscription loses the old role’s rights without reconnecting (privilege retention)', async () => {
    const admin = ok(
      await s.gql(`mutation { addAccountAdmin(input: { email: "dev@keyed.example", role: ADMIN }) { id } }`, {}, { token: owner }),
    ).addAccountAdmin.id;
    const key = ok(
      await s.gql(
        `mutation($u: ID!) { createApiKey(input: { name: "dev", tier: ADMIN, userId: $u }) { secret } }`,
        { u: userId },
        { token: owner },
      ),
    ).createApiKey.secret;
    const client: Client = s.wsClient(key);
    const got: { data: any; errors?: { extensions: { code: string } }[] }[] = [];
    const failures: unknown[] = [];
    // the feed is live once the replay of the newest recorded event arrives
    const log = ok(await s.gql(`{ auditLog(first: 2) { edges { node { cursor } } } }`, {}, { token: owner })).auditLog;
    client.subscribe(
      // account.sso is for ADMIN and above
      {
        query: `subscription($a: String) { events(after: $a) { seq type account { sso { issuer } } } }`,
        variables: { a: log.edges[1].node.cursor },
      },
      { next: (r) => void got.push(r as never), error: (e) => failures.push(e), complete: () => {} },
    );
    const createOrg = (name: string) =>
      s.gql(`mutation($n: String!) { createOrg(input: { name: $n, domain: COPILOT }) { id } }`, { n: name }, { token: owner }).then(ok);
    await eventually(async () => got.length > 0 || failures.length > 0);
    expect(got[0].errors).toBeUndefined();
    expect(got[0].data.events.account).toEqual({ sso: null });

    ok(
      await s.gql(
        `mutation($i: SetAccountAdminRoleInput!) { setAccountAdminRole(input: $i) { role } }`,
        { i: { id: admin, role: 'VIEWER' } },
        { token: owner },
      ),
    );
    // the role-changing mutation starts a revalidation; wait for it rather than for the 30 s round
    await s.gateway.bridge.revalidate();
    const seen = got.length;
    await createOrg('After demotion');
    const after = await eventually(async () => got.slice(seen).find((r) => r.data?.events?.type === 'org.created'));
    expect(after.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
    expect(after.data.events.account).toEqual({ sso: null });
    expect(failures).toEqual([]);
  });
});
