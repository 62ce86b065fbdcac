import { createServer } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, decodeProtectedHeader } from 'jose';
import { startTestIssuer, type TestIssuer } from '../support/oidc';
import { codeOf, eventually, ok, startTestStack, type TestStack } from '../support/stack';

/**
 * ID5 and the JWT rules (algorithm allow-list, issuer, audience, exp, size, JWKS cooldown) through the gateway, with real
 * OpenID providers: a deployment issuer using Zitadel's claim shapes, and a
 * second provider process that one account trusts for SSO.
 */
const ZITADEL_ROLES = 'urn:zitadel:iam:org:project:roles';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('OIDC: JWT rules, Zitadel claims and per-account SSO', () => {
  let s: TestStack;
  let acme: string;
  let globex: string;
  const zitadel = (
    roles: string[],
    accountId?: string,
    opts?: { audience?: string; ttlSeconds?: number; extra?: Record<string, unknown> },
  ) =>
    s.issuer.token(
      {
        sub: `zitadel-${randomBytes(3).toString('hex')}`,
        // Zitadel's project-roles claim: { ROLE: { <orgId>: <org domain> } }
        [ZITADEL_ROLES]: Object.fromEntries(roles.map((r) => [r, { '312909075212468632': 'acme.zitadel.cloud' }])),
        ...(accountId ? { cockpit_account_id: accountId } : {}),
        ...opts?.extra,
      },
      { audience: opts?.audience, ttlSeconds: opts?.ttlSeconds },
    );
  /** A token naming the deployment issuer, unsigned by it. */
  const forged = (header: Record<string, unknown>, sig = 'c2ln') =>
    `${b64(header)}.${b64({ iss: s.issuer.issuer, aud: 'cockpit', sub: 'mallory', exp: Math.floor(Date.now() / 1000) + 600, [ZITADEL_ROLES]: { cockpit_super_admin: {} } })}.${sig}`;

  beforeAll(async () => {
    s = await startTestStack({
      claims: { rolesClaim: ZITADEL_ROLES, accountIdClaim: 'cockpit_account_id', superAdminRoles: ['cockpit_super_admin'] },
      jwksCooldownSeconds: 1,
      apiKeyCacheSeconds: 1,
    });
    const create = `mutation($i: CreateAccountInput!) { createAccount(input: $i) { id } }`;
    acme = ok(await s.gql(create, { i: { name: 'Acme SSO', emailDomain: 'acme.example' } }, { token: s.masterKey })).createAccount.id;
    globex = ok(await s.gql(create, { i: { name: 'Globex SSO', emailDomain: 'globex.example' } }, { token: s.masterKey })).createAccount.id;
  });
  afterAll(() => s.close());

  describe('deployment issuer with Zitadel claims', () => {
    it('maps the project-roles object: a super-admin role key makes a super admin', async () => {
      const superToken = await zitadel(['cockpit_super_admin']);
      const r = ok(await s.gql(`{ accounts { totalCount } }`, {}, { token: superToken }));
      expect(r.accounts.totalCount).toBeGreaterThanOrEqual(2);
    });

    it('maps role keys to account roles on the account of the account-id claim', async () => {
      const admin = await zitadel(['ADMIN'], acme);
      expect(ok(await s.gql(`{ account { id } }`, {}, { token: admin })).account.id).toBe(acme);
      expect(codeOf(await s.gql(`{ accounts { totalCount } }`, {}, { token: admin }))).toBe('FORBIDDEN');
      const viewer = await zitadel(['VIEWER'], acme);
      expect(codeOf(await s.gql(`mutation { createOrg(input: { name: "V", domain: COPILOT }) { id } }`, {}, { token: viewer }))).toBe(
        'FORBIDDEN',
      );
      ok(await s.gql(`mutation { createOrg(input: { name: "Zitadel Admins", domain: COPILOT }) { id } }`, {}, { token: admin }));
    });

    it('ignores a plain `roles` claim once the mapping names Zitadel’s', async () => {
      const t = await s.issuer.token({ sub: 'plain', roles: ['SUPER_ADMIN', 'cockpit_super_admin'] });
      expect(codeOf(await s.gql(`{ accounts { totalCount } }`, {}, { token: t }))).toBe('FORBIDDEN');
    });
  });

  describe('JWT rules', () => {
    it('refuses alg none and HS256 before looking for a key', async () => {
      const before = (await s.issuer.stats()).jwksRequests;
      const none = await s.gql(`{ accounts { totalCount } }`, {}, { token: forged({ alg: 'none', typ: 'JWT' }, '') + '' });
      expect(none.status).toBe(401);
      expect(codeOf(none)).toBe('UNAUTHORIZED');
      const hs = await new SignJWT({ [ZITADEL_ROLES]: { cockpit_super_admin: {} } })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(s.issuer.issuer)
        .setAudience('cockpit')
        .setSubject('mallory')
        .setExpirationTime('10m')
        .sign(randomBytes(32));
      const r = await s.gql(`{ accounts { totalCount } }`, {}, { token: hs });
      expect(r.status).toBe(401);
      expect(codeOf(r)).toBe('UNAUTHORIZED');
      expect((await s.issuer.stats()).jwksRequests).toBe(before);
    });

    it('refuses a validly signed token without exp, or from another issuer', async () => {
      const claims = { sub: 'forger', aud: 'cockpit', [ZITADEL_ROLES]: { cockpit_super_admin: {} } };
      const now = Math.floor(Date.now() / 1000);
      // the control: the same claims with iss and exp are accepted, so only the missing claim is refused below
      ok(
        await s.gql(
          `{ accounts { totalCount } }`,
          {},
          { token: await s.issuer.sign({ ...claims, iss: s.issuer.issuer, iat: now, exp: now + 600 }) },
        ),
      );
      for (const payload of [
        { ...claims, iss: s.issuer.issuer, iat: now },
        { ...claims, iss: 'https://evil.example', iat: now, exp: now + 600 },
      ]) {
        const r = await s.gql(`{ accounts { totalCount } }`, {}, { token: await s.issuer.sign(payload) });
        expect(r.status).toBe(401);
        expect(codeOf(r)).toBe('UNAUTHORIZED');
      }
    });

    it('refuses a token for another audience', async () => {
      const t = await zitadel(['cockpit_super_admin'], undefined, { audience: 'https://other-api.example/' });
      const r = await s.gql(`{ accounts { totalCount } }`, {}, { token: t });
      expect(r.status).toBe(401);
      expect(codeOf(r)).toBe('UNAUTHORIZED');
    });

    it('refuses an oversize token (a real, validly signed one)', async () => {
      const t = await zitadel(['cockpit_super_admin'], undefined, { extra: { padding: 'x'.repeat(10_000) } });
      expect(t.length).toBeGreaterThan(8 * 1024);
      const r = await s.gql(`{ accounts { totalCount } }`, {}, { token: t });
      expect(r.status).toBe(401);
      expect(r.body.errors![0].message).toMatch(/too large/i);
    });

    it('answers TOKEN_EXPIRED past exp plus the 5 s tolerance', async () => {
      const t = await zitadel(['ADMIN'], acme, { ttlSeconds: 1 });
      ok(await s.gql(`{ account { id } }`, {}, { token: t }));
      await sleep(7000);
      const r = await s.gql(`{ account { id } }`, {}, { token: t });
      expect(r.status).toBe(401);
      expect(codeOf(r)).toBe('TOKEN_EXPIRED');
    }, 20_000);

    it('bounds JWKS fetches under a flood of random kids', async () => {
      const good = await zitadel(['ADMIN'], acme);
      ok(await s.gql(`{ account { id } }`, {}, { token: good })); // keys cached
      await sleep(1200); // past the 1 s cooldown: the flood may cause one refetch
      const before = (await s.issuer.stats()).jwksRequests;
      const started = Date.now();
      const results = await Promise.all(
        Array.from({ length: 50 }, () => s.gql(`{ account { id } }`, {}, { token: forged({ alg: 'RS256', kid: randomUUID() }) })),
      );
      for (const r of results) expect(codeOf(r)).toBe('UNAUTHORIZED');
      const after = (await s.issuer.stats()).jwksRequests;
      // at most one refetch per 1 s cooldown while the flood lasts (two when it is quick), never one per kid
      const cooldowns = Math.ceil((Date.now() - started) / 1000);
      expect(after - before).toBeLessThanOrEqual(Math.max(2, 1 + cooldowns));
      // the flood did not poison the cache
      expect(ok(await s.gql(`{ account { id } }`, {}, { token: good })).account.id).toBe(acme);
    });

    it('picks up a rotated signing key with one JWKS refetch', async () => {
      const old = await zitadel(['ADMIN'], acme);
      const newKid = await s.issuer.rotate();
      const fresh = await zitadel(['OWNER'], acme);
      expect(decodeProtectedHeader(fresh).kid).toBe(newKid);
      await sleep(1200); // past the cooldown of the flood's refetch
      const before = (await s.issuer.stats()).jwksRequests;
      expect(ok(await s.gql(`{ account { id } }`, {}, { token: fresh })).account.id).toBe(acme);
      expect((await s.issuer.stats()).jwksRequests - before).toBe(1);
      // the old key is still published, and still trusted
      ok(await s.gql(`{ account { id } }`, {}, { token: old }));
    });
  });

  describe('per-account SSO', () => {
    let idp: TestIssuer;
    let ssoToken: string;
    const SET = `mutation($i: SetAccountSsoInput!) { setAccountSso(input: $i) { provider issuer clientId audience rolesClaim accountIdClaim superAdminRoles enabled updatedAt } }`;

    beforeAll(async () => {
      idp = await startTestIssuer();
    });
    afterAll(() => idp.stop());

    it('lets only a super admin set an account’s SSO, validated, audited', async () => {
      const input = { provider: 'GENERIC', issuer: idp.issuer, clientId: 'cockpit-globex', superAdminRoles: ['platform-admin'] };
      const asAdmin = await s.gql(SET, { i: input }, { token: await zitadel(['OWNER'], globex) });
      expect(codeOf(asAdmin)).toBe('FORBIDDEN');
      const bad = await s.gql(SET, { i: { ...input, issuer: 'ftp://idp.example' } }, { token: s.masterKey, accountId: globex });
      expect(codeOf(bad)).toBe('VALIDATION_ERROR');
      expect(bad.body.errors![0].extensions.details).toHaveProperty('issuer');
      const noAccount = await s.gql(SET, { i: input }, { token: s.masterKey });
      expect(codeOf(noAccount)).toBe('INVALID_REQUEST');

      const set = ok(await s.gql(SET, { i: input }, { token: s.masterKey, accountId: globex }));
      expect(set.setAccountSso).toMatchObject({
        provider: 'GENERIC',
        issuer: idp.issuer,
        clientId: 'cockpit-globex',
        audience: null,
        rolesClaim: 'roles',
        accountIdClaim: null,
        superAdminRoles: ['platform-admin'],
        enabled: true,
      });
      // one issuer, one account
      const dup = await s.gql(SET, { i: input }, { token: s.masterKey, accountId: acme });
      expect(codeOf(dup)).toBe('CONFLICT');

      const audit = await eventually(async () => {
        const r = ok(
          await s.gql(
            `{ auditLog(filter: { types: ["account.sso.set"] }) { nodes { type payload } } }`,
            {},
            { token: s.masterKey, accountId: globex },
          ),
        );
        return r.auditLog.nodes.length ? r.auditLog.nodes : null;
      });
      expect(audit[0].payload).toMatchObject({ issuer: idp.issuer, provider: 'generic' });
    });

    it('acts on that account only, whatever the token claims, and never as a platform super admin', async () => {
      ssoToken = await idp.token(
        {
          sub: 'globex-user',
          roles: ['ADMIN', 'SUPER_ADMIN', 'platform-admin'],
          cockpit_account_id: acme,
          [ZITADEL_ROLES]: { cockpit_super_admin: {} },
        },
        { audience: 'cockpit-globex' },
      );
      const seen = await eventually(async () => {
        const r = await s.gql(`{ account { id sso { issuer } } }`, {}, { token: ssoToken });
        return r.body.data?.account ? r : null;
      });
      expect(ok(seen).account).toEqual({ id: globex, sso: { issuer: idp.issuer } });
      expect(codeOf(await s.gql(`{ accounts { totalCount } }`, {}, { token: ssoToken }))).toBe('FORBIDDEN');
      expect(codeOf(await s.gql(`{ account { id } }`, {}, { token: ssoToken, accountId: acme }))).toBe('FORBIDDEN');
      const create = await s.gql(
        `mutation { createAccount(input: { name: "Evil", emailDomain: "evil.example" }) { id } }`,
        {},
        { token: ssoToken },
      );
      expect(codeOf(create)).toBe('FORBIDDEN');
      // the super-admin role key made the user the account's OWNER: account-admin writes pass
      ok(await s.gql(`mutation { addAccountAdmin(input: { email: "ops@globex.example", role: VIEWER }) { id } }`, {}, { token: ssoToken }));
    });

    it('checks the account’s audience (the client id by default) and the account-id claim when set', async () => {
      const wrongAud = await idp.token({ sub: 'globex-user', roles: ['ADMIN'] });
      expect(codeOf(await s.gql(`{ account { id } }`, {}, { token: wrongAud }))).toBe('UNAUTHORIZED');
      ok(
        await s.gql(
          SET,
          { i: { provider: 'GENERIC', issuer: idp.issuer, clientId: 'cockpit-globex', audience: 'globex-api', accountIdClaim: 'tenant' } },
          { token: s.masterKey, accountId: globex },
        ),
      );
      const other = await idp.token({ sub: 'u2', roles: ['ADMIN'], tenant: acme }, { audience: 'globex-api' });
      expect(codeOf(await s.gql(`{ account { id } }`, {}, { token: other }))).toBe('UNAUTHORIZED');
      const mine = await idp.token({ sub: 'u2', roles: ['ADMIN'], tenant: globex }, { audience: 'globex-api' });
      expect(ok(await s.gql(`{ account { id } }`, {}, { token: mine })).account.id).toBe(globex);
      ssoToken = mine;
    });

    it('reports ssoStatus ok for a live issuer and the failure for a dead one', async () => {
      const live = ok(
        await s.gql(
          `{ ssoStatus { issuer checkedAt discovery { ok status error latencyMs } jwks { ok status error latencyMs } } }`,
          {},
          { token: ssoToken },
        ),
      );
      expect(live.ssoStatus).toMatchObject({
        issuer: idp.issuer,
        discovery: { ok: true, status: 200, error: null },
        jwks: { ok: true, status: 200, error: null },
      });
      expect(live.ssoStatus.discovery.latencyMs).toEqual(expect.any(Number));

      const deadPort = await new Promise<number>((resolve) => {
        const srv = createServer().listen(0, '127.0.0.1', () => {
          const { port } = srv.address() as { port: number };
          srv.close(() => resolve(port));
        });
      });
      ok(
        await s.gql(
          SET,
          { i: { provider: 'ZITADEL', issuer: `http://127.0.0.1:${deadPort}`, clientId: 'acme' } },
          { token: s.masterKey, accountId: acme },
        ),
      );
      const dead = ok(
        await s.gql(
          `{ ssoStatus { issuer discovery { ok status error } jwks { ok error } } }`,
          {},
          { token: s.masterKey, accountId: acme },
        ),
      );
      expect(dead.ssoStatus.discovery).toMatchObject({ ok: false, status: null, error: expect.stringMatching(/unreachable/) });
      expect(dead.ssoStatus.jwks.ok).toBe(false);
      const settings = ok(await s.gql(`{ account { sso { provider rolesClaim } } }`, {}, { token: s.masterKey, accountId: acme }));
      expect(settings.account.sso).toEqual({ provider: 'ZITADEL', rolesClaim: ZITADEL_ROLES });
      // account admins below ADMIN may not read SSO settings
      expect(codeOf(await s.gql(`{ ssoStatus { issuer } }`, {}, { token: await zitadel(['VIEWER'], acme) }))).toBe('FORBIDDEN');
    });

    it('keeps accepting tokens through an IdP outage with the cached keys', async () => {
      const deploymentToken = await zitadel(['ADMIN'], acme);
      ok(await s.gql(`{ account { id } }`, {}, { token: deploymentToken }));
      await idp.stop();
      await s.issuer.stop();
      expect(ok(await s.gql(`{ account { id } }`, {}, { token: ssoToken })).account.id).toBe(globex);
      expect(ok(await s.gql(`{ account { id } }`, {}, { token: deploymentToken })).account.id).toBe(acme);
      // a random kid now finds the IdP down: refused, not a crash
      expect(codeOf(await s.gql(`{ account { id } }`, {}, { token: forged({ alg: 'RS256', kid: randomUUID() }) }))).toBe('UNAUTHORIZED');
    });
  });
});
