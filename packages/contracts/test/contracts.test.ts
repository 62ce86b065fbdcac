import { accountStatus, apiKeyLookup, directoryPrincipals, parseCredentialsChanged, ssoIssuers, MAX_DIRECTORY_LOOKUPS } from '../src';

/** The validators both sides rely on: identity for what it is sent, the gateway for what it is answered. */
describe('contracts between the gateway and identity', () => {
  const acct = '0193f000-0000-7000-8000-0000000000c1';
  const key = {
    id: 'k1',
    accountId: acct,
    userId: null,
    tier: 'ADMIN',
    scopes: [],
    modelAllowlist: [],
    expiresAt: null,
    revokedAt: null,
    accountStatus: 'ACTIVE',
    userStatus: null,
    roles: ['ADMIN'],
    serviceAccount: null,
  };

  it('checks requests and names the fields that are wrong', () => {
    expect(apiKeyLookup.request({ hash: 'a'.repeat(64) }).ok).toBe(true);
    expect(apiKeyLookup.request({ hash: 'A'.repeat(64) })).toEqual({ ok: false, problems: { hash: expect.any(String) } });
    expect(accountStatus.request({ accountIds: Array(1001).fill(acct) })).toEqual({ ok: false, problems: { accountIds: 'at most 1000' } });
    expect(
      directoryPrincipals.request({
        lookups: [
          { accountId: acct, email: 'a@b.c' },
          { accountId: acct, userId: acct },
        ],
      }).ok,
    ).toBe(true);
    expect(directoryPrincipals.request({ lookups: [{ accountId: 'x', email: 'a@b.c', userId: acct }] })).toEqual({
      ok: false,
      problems: { 'lookups[0].accountId': expect.any(String), 'lookups[0]': 'must name exactly one of email or userId' },
    });
    expect(directoryPrincipals.request({ lookups: Array(MAX_DIRECTORY_LOOKUPS + 1).fill({ accountId: acct, email: 'a@b.c' }) }).ok).toBe(
      false,
    );
  });

  it('refuses answers of the wrong shape, so no credential is judged on them', () => {
    expect(apiKeyLookup.answer({ key }).ok).toBe(true);
    expect(apiKeyLookup.answer({ key: null }).ok).toBe(true);
    expect(apiKeyLookup.answer({ key: { ...key, roles: ['GOD'] } })).toEqual({ ok: false, problems: { 'key.roles': expect.any(String) } });
    expect(apiKeyLookup.answer({ key: { ...key, serviceAccount: { id: 's' } } }).ok).toBe(false);
    expect(accountStatus.answer({ statuses: { [acct]: 'GONE' }, planTiers: {} })).toEqual({
      ok: false,
      problems: { [`statuses.${acct}`]: expect.any(String) },
    });
    expect(accountStatus.answer({ statuses: { [acct]: 'ACTIVE' }, planTiers: { [acct]: 'TEAM' } }).ok).toBe(true);
    // the rate limits follow the plan: an answer without it, or with an unknown tier, is refused
    expect(accountStatus.answer({ statuses: { [acct]: 'ACTIVE' } }).ok).toBe(false);
    expect(accountStatus.answer({ statuses: { [acct]: 'ACTIVE' }, planTiers: { [acct]: 'PLATINUM' } })).toEqual({
      ok: false,
      problems: { [`planTiers.${acct}`]: expect.any(String) },
    });
    expect(ssoIssuers.answer({ issuers: [{ accountId: acct }] }).ok).toBe(false);
    expect(
      directoryPrincipals.answer({ principals: [{ userId: null, status: null, teamIds: [], orgIds: [], adminRole: 'SUPER_ADMIN' }] }).ok,
    ).toBe(false);
  });

  it('reads a credentials.changed payload', () => {
    expect(parseCredentialsChanged({ accountId: null, reason: 'API_KEY', cause: 'api_key.revoked' }).ok).toBe(true);
    expect(parseCredentialsChanged({ accountId: acct, reason: 'NOPE', cause: 'x' }).ok).toBe(false);
  });
});
