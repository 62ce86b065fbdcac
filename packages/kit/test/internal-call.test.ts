import { principal, servicePrincipal, signInternalToken, testKeys, verifyInternalCall } from '../src';

/** Which key may speak for whom: the gateway's for anyone, a service's only for that service. */
describe('verifyInternalCall', () => {
  const gateway = testKeys();
  const budgets = testKeys();
  const trusted = { gateway: gateway.publicKey, services: { budgets: budgets.publicKey } };
  const user = principal({ subject: 'alice', superAdmin: true, roles: ['SUPER_ADMIN'] });
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => 'OK',
      (e) => e.code,
    );

  it("accepts any principal from the gateway's key, and names the gateway as caller only for its own service identity", async () => {
    const asUser = await verifyInternalCall(trusted, 'identity', await signInternalToken(gateway.privateKey, 'identity', user));
    expect(asUser).toMatchObject({ issuer: 'gateway', caller: null, principal: { subject: 'alice' } });
    const asGateway = await verifyInternalCall(
      trusted,
      'identity',
      await signInternalToken(gateway.privateKey, 'identity', servicePrincipal('gateway')),
    );
    expect(asGateway.caller).toBe('gateway');
  });

  it("accepts a service's key only for that service's own principal", async () => {
    const own = await verifyInternalCall(
      trusted,
      'observability',
      await signInternalToken(budgets.privateKey, 'observability', servicePrincipal('budgets'), 'budgets'),
    );
    expect(own).toMatchObject({ issuer: 'budgets', caller: 'budgets' });
    // a user, or another service, minted with budgets' key
    expect(
      await codeOf(
        verifyInternalCall(trusted, 'observability', await signInternalToken(budgets.privateKey, 'observability', user, 'budgets')),
      ),
    ).toBe('UNAUTHORIZED');
    expect(
      await codeOf(
        verifyInternalCall(
          trusted,
          'observability',
          await signInternalToken(budgets.privateKey, 'observability', servicePrincipal('identity'), 'budgets'),
        ),
      ),
    ).toBe('UNAUTHORIZED');
    // budgets' key claiming to be the gateway
    expect(
      await codeOf(verifyInternalCall(trusted, 'observability', await signInternalToken(budgets.privateKey, 'observability', user))),
    ).toBe('UNAUTHORIZED');
    // a service nobody here trusts
    const catalog = testKeys();
    expect(
      await codeOf(
        verifyInternalCall(
          trusted,
          'observability',
          await signInternalToken(catalog.privateKey, 'observability', servicePrincipal('catalog'), 'catalog'),
        ),
      ),
    ).toBe('UNAUTHORIZED');
  });
});
