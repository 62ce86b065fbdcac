import {
  InternalCallVerifier,
  InternalTokenCache,
  principal,
  principalKey,
  servicePrincipal,
  signInternalToken,
  testKeys,
  verifyInternalCall,
} from '../src';

describe('principalKey', () => {
  const alice = principal({ subject: 'alice', accountId: 'a1', roles: ['ADMIN', 'VIEWER'], teamIds: ['t1', 't2'] });

  it('is the same for the same caller whatever the request id, the order of its lists or of its fields', () => {
    const reordered = Object.fromEntries(Object.entries({ ...alice, roles: ['VIEWER', 'ADMIN'], teamIds: ['t2', 't1'] }).reverse());
    expect(principalKey({ ...alice, requestId: 'r2' })).toBe(principalKey(alice));
    expect(principalKey(reordered as unknown as typeof alice)).toBe(principalKey(alice));
  });

  it('differs when anything but the request id differs: subject, directory user, roles, scopes, teams, account', () => {
    const key = principalKey(alice);
    for (const other of [
      { subject: 'bob' },
      { userId: 'u1' },
      { roles: ['ADMIN' as const] },
      { scopes: ['usage:read'] },
      { teamIds: ['t1'] },
      { orgIds: ['o1'] },
      { accountId: 'a2' },
      { superAdmin: true },
      { kind: 'API_KEY' as const },
    ])
      expect(principalKey({ ...alice, ...other })).not.toBe(key);
  });
});

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

/** Tokens are reused for half their lifetime, and accepted tokens remembered until they expire: neither may widen who is trusted. */
describe('InternalTokenCache and InternalCallVerifier', () => {
  const gateway = testKeys();
  const trusted = { gateway: gateway.publicKey };
  const alice = principal({ subject: 'alice', accountId: 'a1', roles: ['ADMIN'] });
  afterEach(() => jest.useRealTimers());
  /** Moves only the clock (`Date`), by `ms`: timers and promises keep running. */
  const clockAt = (ms: number) =>
    jest.useFakeTimers({
      now: Date.now() + ms,
      doNotFake: [
        'nextTick',
        'setImmediate',
        'setTimeout',
        'setInterval',
        'queueMicrotask',
        'clearTimeout',
        'clearInterval',
        'clearImmediate',
      ],
    });

  it('reuses a token for the same principal and audience whatever the request id, and signs anew for anything else', async () => {
    const cache = new InternalTokenCache(gateway.privateKey);
    const t = await cache.token('identity', { ...alice, requestId: 'r1' });
    expect(await cache.token('identity', { ...alice, requestId: 'r2' })).toBe(t);
    expect(await cache.token('budgets', alice)).not.toBe(t);
    expect(await cache.token('identity', { ...alice, roles: ['VIEWER'] })).not.toBe(t);
    expect(await cache.token('identity', { ...alice, teamIds: ['t1'] })).not.toBe(t);
    clockAt(31_000);
    expect(await cache.token('identity', alice)).not.toBe(t); // past half its lifetime
  });

  it('remembers an accepted token for its audience only, and not past its expiry', async () => {
    const token = await signInternalToken(gateway.privateKey, 'identity', alice);
    const identity = new InternalCallVerifier(trusted, 'identity');
    expect((await identity.verify(token)).principal.subject).toBe('alice');
    expect((await identity.verify(token)).principal.subject).toBe('alice');
    // another service's verifier checks it itself: the audience is not identity's
    await expect(new InternalCallVerifier(trusted, 'budgets').verify(token)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    clockAt(120_000);
    await expect(identity.verify(token)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
