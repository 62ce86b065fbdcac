/** Self-test of the real OpenID provider used by the end-to-end suites (test/support/oidc.ts). */
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';

import { startTestIssuer, type TestIssuer } from '../support/oidc';

describe('test OpenID provider', () => {
  let idp: TestIssuer;
  let jwksUri: URL;

  beforeAll(async () => {
    idp = await startTestIssuer();
    const res = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const discovery = (await res.json()) as { issuer: string; jwks_uri: string; token_endpoint: string };
    expect(discovery.issuer).toBe(idp.issuer);
    jwksUri = new URL(discovery.jwks_uri);
  });

  afterAll(async () => {
    await idp?.stop();
  });

  const verify = (token: string, jwks = createRemoteJWKSet(jwksUri)) =>
    jwtVerify(token, jwks, { issuer: idp.issuer, audience: 'cockpit', algorithms: ['RS256'] });

  it('issues JWT access tokens that carry the registered claims', async () => {
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const token = await idp.token({ sub: 'u1', roles: ['OWNER'], cockpit_account_id: 'acc-1' }, { audience: 'cockpit' });

    const { payload, protectedHeader } = await verify(token);
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    expect(typeof protectedHeader.kid).toBe('string');
    expect(payload).toMatchObject({
      iss: idp.issuer,
      aud: 'cockpit',
      sub: 'u1',
      roles: ['OWNER'],
      cockpit_account_id: 'acc-1',
    });
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('round-trips Zitadel-style nested claims and defaults sub to the client id', async () => {
    const roles = { ADMIN: { '123': 'acme.example' }, VIEWER: { '123': 'acme.example', '456': 'beta.example' } };
    const token = await idp.token({ 'urn:zitadel:iam:org:project:roles': roles });

    const { payload } = await verify(token);
    expect(payload['urn:zitadel:iam:org:project:roles']).toEqual(roles);
    expect(payload.sub).toBe(payload.client_id);
  });

  it('honours audience and ttlSeconds', async () => {
    const token = await idp.token({ sub: 'u2' }, { audience: 'https://api.example/', ttlSeconds: 60 });
    const { payload } = await jwtVerify(token, createRemoteJWKSet(jwksUri), {
      issuer: idp.issuer,
      audience: 'https://api.example/',
    });
    expect(payload.sub).toBe('u2');
    expect(payload.exp! - payload.iat!).toBe(60);
  });

  it('rotates the signing key while old tokens keep verifying', async () => {
    const claims = { sub: 'u1', roles: ['OWNER'] };
    const jwks = createRemoteJWKSet(jwksUri);
    const before = await idp.token(claims);
    const oldKid = decodeProtectedHeader(before).kid;
    await verify(before, jwks); // caches the pre-rotation JWKS

    const newKid = await idp.rotate();
    expect(newKid).not.toBe(oldKid);

    const after = await idp.token(claims); // same (cached) client, new key
    expect(decodeProtectedHeader(after).kid).toBe(newKid);

    // A freshly fetched JWKS publishes both keys.
    const refetched = createRemoteJWKSet(jwksUri);
    await expect(verify(after, refetched)).resolves.toMatchObject({ payload: { sub: 'u1' } });
    await expect(verify(before, refetched)).resolves.toMatchObject({ payload: { sub: 'u1' } });

    const published = (await (await fetch(jwksUri)).json()) as { keys: Array<{ kid: string }> };
    expect(published.keys.map((k) => k.kid)).toEqual([newKid, oldKid]);

    // After dropping old keys, only the new kid stays published.
    expect(await idp.dropOldKeys()).toEqual([newKid]);
    await expect(verify(before, createRemoteJWKSet(jwksUri))).rejects.toThrow();
    await expect(verify(after, createRemoteJWKSet(jwksUri))).resolves.toBeDefined();
  });
});
