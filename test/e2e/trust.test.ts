import { DIRECTORY_PRINCIPALS_PATH, DIRECTORY_SCOPES_PATH, LOOKUP_PATH } from '@cockpit/identity';
import { INTERNAL_TOKEN_HEADER, principal, servicePrincipal, signInternalToken, uuidv7, type Principal } from '@cockpit/kit';
import type { KeyObject } from 'node:crypto';
import { codeOf, ok, startTestStack, type TestStack } from '../support/stack';

/**
 * Trust between services (a key per service) and what a principal knows of its
 * directory user, through the real stack.
 */
describe('trust: a key per service, and the directory user behind a credential', () => {
  let s: TestStack;
  let acme: string;
  const base = (url: string) => url.replace(/\/graphql$/, '');

  /** POSTs to a subgraph's path with a token `key` signed as `issuer`. */
  async function post(url: string, audience: string, key: KeyObject, issuer: string, who: Principal, body: unknown) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [INTERNAL_TOKEN_HEADER]: await signInternalToken(key, audience, who, issuer) },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  beforeAll(async () => {
    s = await startTestStack();
    acme = ok(
      await s.gql(
        `mutation { createAccount(input: { name: "Acme Trust", emailDomain: "acme.example", planTier: TEAM }) { id } }`,
        {},
        { token: s.masterKey },
      ),
    ).createAccount.id;
  });
  afterAll(() => s.close());

  describe('a key per service', () => {
    const superAdmin = () => principal({ subject: 'mallory', superAdmin: true, roles: ['SUPER_ADMIN'] });
    const ACCOUNTS = { query: '{ accounts { totalCount } }' };

    it('gives every service its own key pair', () => {
      const pems = Object.values(s.keys).map((k) => k.publicKey.export({ type: 'spki', format: 'pem' }).toString());
      expect(new Set(pems).size).toBe(6);
    });

    it('lets no subgraph mint a user principal another subgraph accepts', async () => {
      // the gateway's own key is accepted (the control) …
      const control = await post(s.subgraphUrls.identity, 'identity', s.keys.gateway.privateKey, 'gateway', superAdmin(), ACCOUNTS);
      expect(control.status).toBe(200);
      expect(control.body.data.accounts.totalCount).toBeGreaterThan(0);
      // … a subgraph's is not, whatever issuer it claims and whichever subgraph it targets
      for (const from of ['budgets', 'catalog', 'guardrails', 'observability', 'identity'] as const) {
        for (const [target, url] of Object.entries(s.subgraphUrls)) {
          if (target === from) continue;
          for (const issuer of ['gateway', from]) {
            const r = await post(url, target, s.keys[from].privateKey, issuer, superAdmin(), ACCOUNTS);
            expect({ from, target, issuer, status: r.status }).toEqual({ from, target, issuer, status: 401 });
          }
        }
      }
    });

    it('lets a service speak only as itself, and only on the routes that name it', async () => {
      const hash = { hash: '0'.repeat(64) };
      const lookup = `${base(s.subgraphUrls.identity)}${LOOKUP_PATH}`;
      // identity's lookups are for the gateway's service identity: budgets' key (trusted for its directory route) is refused there
      const asBudgets = await post(lookup, 'identity', s.keys.budgets.privateKey, 'budgets', servicePrincipal('budgets'), hash);
      expect(asBudgets).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
      // … and its directory route answers budgets and catalog alone: identity does not even trust guardrails' key
      const scopes = `${base(s.subgraphUrls.identity)}${DIRECTORY_SCOPES_PATH}`;
      const ask = { accountId: acme, orgIds: [], teamIds: [], userIds: [] };
      const fromBudgets = await post(scopes, 'identity', s.keys.budgets.privateKey, 'budgets', servicePrincipal('budgets'), ask);
      expect(fromBudgets).toEqual({ status: 200, body: { orgs: [], teams: [], users: [], children: null } });
      const fromCatalog = await post(scopes, 'identity', s.keys.catalog.privateKey, 'catalog', servicePrincipal('catalog'), ask);
      expect(fromCatalog).toEqual(fromBudgets);
      expect((await post(scopes, 'identity', s.keys.guardrails.privateKey, 'guardrails', servicePrincipal('guardrails'), ask)).status).toBe(
        401,
      );
      expect((await post(scopes, 'identity', s.keys.gateway.privateKey, 'gateway', servicePrincipal('gateway'), ask)).status).toBe(403);
      const asGateway = await post(lookup, 'identity', s.keys.gateway.privateKey, 'gateway', servicePrincipal('gateway'), hash);
      expect(asGateway).toEqual({ status: 200, body: { key: null } });
      // a user principal signed by the gateway is not a service: no internal route for it
      const asUser = await post(lookup, 'identity', s.keys.gateway.privateKey, 'gateway', superAdmin(), hash);
      expect(asUser.status).toBe(403);
      // a service key posing as another service is refused outright
      const posing = await post(lookup, 'identity', s.keys.budgets.privateKey, 'budgets', servicePrincipal('gateway'), hash);
      expect(posing.status).toBe(401);

      // observability's ingest names the subgraphs: budgets' own key is accepted there …
      const ingest = `${base(s.subgraphUrls.observability)}/internal/ingest`;
      const event = {
        id: uuidv7(),
        accountId: acme,
        type: 'trust.checked',
        domain: 'COPILOT',
        source: 'budgets',
        actor: { subject: 'budgets', kind: 'SERVICE' },
        subject: null,
        payload: {},
        requestId: 'trust',
        occurredAt: new Date().toISOString(),
      };
      const delivered = await post(ingest, 'observability', s.keys.budgets.privateKey, 'budgets', servicePrincipal('budgets'), {
        events: [event],
      });
      expect(delivered).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
      // … a trusted service the route does not name (the gateway's service identity) is refused with FORBIDDEN
      const fromGateway = await post(ingest, 'observability', s.keys.gateway.privateKey, 'gateway', servicePrincipal('gateway'), {
        events: [{ ...event, id: uuidv7() }],
      });
      expect(fromGateway).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    });
  });

  describe('the directory user behind a credential', () => {
    const VIEWER = `{ viewer { roles userId teamIds orgIds user { id email } } }`;

    it('gives an OIDC login its addAccountAdmin grant when its token has no role claim', async () => {
      const token = await s.issuer.token({ sub: 'sso|ada', email: 'Ada@Acme.example', cockpit_account_id: acme });
      const createOrg = (name: string) =>
        s.gql(`mutation($n: String!) { createOrg(input: { name: $n, domain: COPILOT }) { id } }`, { n: name }, { token });
      expect(codeOf(await createOrg('before grant'))).toBe('FORBIDDEN');

      ok(
        await s.gql(
          `mutation { addAccountAdmin(input: { email: "ada@acme.example", role: ADMIN }) { id } }`,
          {},
          {
            token: s.masterKey,
            accountId: acme,
          },
        ),
      );
      // the gateway that served the grant applies it before answering: no wait for a cache to expire
      expect(ok(await s.gql(VIEWER, {}, { token })).viewer).toMatchObject({ roles: ['ADMIN'], userId: null });
      expect(ok(await createOrg('after grant')).createOrg.id).toBeTruthy();
    });

    it("carries a user-bound key's user, teams and orgs, and follows a membership change at once", async () => {
      const owner = await s.tokenFor('OWNER', acme);
      const run = async (q: string, v: Record<string, unknown> = {}) => ok(await s.gql(q, v, { token: owner }));
      const org = (await run(`mutation { createOrg(input: { name: "Trust Eng", domain: COPILOT }) { id } }`)).createOrg.id;
      const team = (await run(`mutation($o: ID!) { createTeam(input: { orgId: $o, name: "Platform" }) { id } }`, { o: org })).createTeam.id;
      const user = (
        await run(`mutation { createUser(input: { email: "grace@acme.example", displayName: "Grace", domain: COPILOT }) { id } }`)
      ).createUser.id;
      await run(`mutation($t: ID!, $u: ID!) { addTeamMember(input: { teamId: $t, userId: $u }) { id } }`, { t: team, u: user });
      const key = (
        await run(`mutation($u: ID!) { createApiKey(input: { name: "grace", tier: CLIENT, userId: $u }) { secret } }`, { u: user })
      ).createApiKey.secret;

      expect(ok(await s.gql(VIEWER, {}, { token: key })).viewer).toEqual({
        roles: ['END_USER'],
        userId: user,
        teamIds: [team],
        orgIds: [org],
        user: { id: user, email: 'grace@acme.example' },
      });
      await run(`mutation($t: ID!, $u: ID!) { removeTeamMember(teamId: $t, userId: $u) { id } }`, { t: team, u: user });
      expect(ok(await s.gql(VIEWER, {}, { token: key })).viewer).toMatchObject({ userId: user, teamIds: [], orgIds: [] });
    });

    it('answers a batch of lookups in one call, refusing malformed ones with INVALID_REQUEST', async () => {
      const url = `${base(s.subgraphUrls.identity)}${DIRECTORY_PRINCIPALS_PATH}`;
      const gw = (body: unknown) => post(url, 'identity', s.keys.gateway.privateKey, 'gateway', servicePrincipal('gateway'), body);
      const r = await gw({
        lookups: [
          { accountId: acme, email: 'ADA@acme.example' },
          { accountId: acme, email: 'nobody@acme.example' },
        ],
      });
      expect(r).toEqual({
        status: 200,
        body: {
          principals: [
            { userId: null, status: null, teamIds: [], orgIds: [], adminRole: 'ADMIN' },
            { userId: null, status: null, teamIds: [], orgIds: [], adminRole: null },
          ],
        },
      });
      const bad = await gw({ lookups: [{ accountId: 'nope', email: 1 }] });
      expect(bad).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST', details: { 'lookups[0]': expect.any(String) } } });
    });
  });
});
