import { createHash } from 'node:crypto';
import { PLATFORM_ACCOUNT_ID, principal, servicePrincipal } from '@cockpit/kit';
import { bootstrapAdminKey, LOOKUP_PATH } from '../src';
import { member, newAccount, outboxTypes, platformAdmin, startIdentity, superOn, type Identity } from './helpers';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const CREATE = `mutation($i: CreateServiceAccountInput!) { createServiceAccount(input: $i) { secret serviceAccount { id name scopes createdAt disabledAt } } }`;
const DISABLE = `mutation($id: ID!) { disableServiceAccount(id: $id) { id name disabledAt } }`;
const LIST = `{ serviceAccounts { totalCount nodes { id name scopes disabledAt } } }`;
const code = (r: { errors?: any[] }) => r.errors?.[0]?.extensions?.code;

describe('identity: service accounts (ID8)', () => {
  let id: Identity;
  beforeAll(async () => {
    id = await startIdentity();
  });
  afterAll(() => id.close());

  const lookup = (secret: string) => id.route(LOOKUP_PATH, servicePrincipal('gateway'), { hash: sha256(secret) });

  it('creates a named service account with a scoped platform key the lookup reports as such', async () => {
    const r = await id.call(platformAdmin(), CREATE, { i: { name: 'alchemi-web', scopes: ['directory.*', 'audit.read'] } });
    expect(r.errors).toBeUndefined();
    const { secret, serviceAccount } = r.data.createServiceAccount;
    expect(secret).toMatch(/^sk-cap-[a-z2-7]{52}$/);
    expect(serviceAccount).toMatchObject({ name: 'alchemi-web', scopes: ['directory.*', 'audit.read'], disabledAt: null });

    const found = await lookup(secret);
    expect(found.body.key).toMatchObject({
      accountId: null,
      userId: null,
      tier: 'ADMIN',
      scopes: ['directory.*', 'audit.read'],
      revokedAt: null,
      serviceAccount: { id: serviceAccount.id, name: 'alchemi-web', scopes: ['directory.*', 'audit.read'], disabledAt: null },
    });
    const [row] = await id.sql(`select service_account_id, hash, name from identity.api_key where id = ?`, [found.body.key.id]);
    expect(row).toEqual({ service_account_id: serviceAccount.id, hash: sha256(secret), name: 'service:alchemi-web' });

    const events = (await outboxTypes(id)).filter((e) => e.subject?.id === serviceAccount.id);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'service_account.created',
        accountId: PLATFORM_ACCOUNT_ID,
        domain: 'PLATFORM',
        payload: expect.objectContaining({ name: 'alchemi-web' }),
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain(secret.slice(12));
    expect((await id.call(platformAdmin(), LIST)).data.serviceAccounts.nodes).toContainEqual({
      id: serviceAccount.id,
      name: 'alchemi-web',
      scopes: ['directory.*', 'audit.read'],
      disabledAt: null,
    });
    // ordinary keys say they belong to no service account
    const plain = (await id.call(platformAdmin(), `mutation { createApiKey(input: { name: "ops", tier: ADMIN }) { secret } }`)).data
      .createApiKey.secret;
    expect((await lookup(plain)).body.key.serviceAccount).toBeNull();
  });

  it('validates the name and every scope against the RBAC actions, and refuses a taken name', async () => {
    const bad = await id.call(platformAdmin(), CREATE, { i: { name: 'Bad Name', scopes: ['directory.*', 'nope.*', 'directory.bogus'] } });
    expect(bad.errors?.[0].extensions).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { name: expect.any(String), scopes: expect.stringContaining('nope.*') },
    });
    expect(bad.errors?.[0].extensions.details.scopes).toContain('directory.bogus');
    const none = await id.call(platformAdmin(), CREATE, { i: { name: 'empty', scopes: [] } });
    expect(none.errors?.[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { scopes: expect.any(String) } });
    for (const [i, ok] of [['*'], ['audit.read'], ['budgetPlan.*']].entries()) {
      expect((await id.call(platformAdmin(), CREATE, { i: { name: `ok-${i}`, scopes: ok } })).errors).toBeUndefined();
    }
    await id.call(platformAdmin(), CREATE, { i: { name: 'alchemi-ai', scopes: ['*'] } });
    const dup = await id.call(platformAdmin(), CREATE, { i: { name: 'alchemi-ai', scopes: ['audit.read'] } });
    expect(dup.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', details: { name: expect.any(String) } });
    expect(await id.sql(`select count(*)::int as n from identity.service_account where name = 'alchemi-ai'`)).toEqual([{ n: 1 }]);
  });

  it('is for super admins only (with or without X-Account-Id)', async () => {
    const a = await newAccount(id);
    for (const who of [member(a.id, 'OWNER'), principal({ kind: 'API_KEY', accountId: a.id, roles: ['END_USER'] })]) {
      expect(code(await id.call(who, CREATE, { i: { name: 'x', scopes: ['*'] } }))).toBe('FORBIDDEN');
      expect(code(await id.call(who, LIST))).toBe('FORBIDDEN');
    }
    const viaAccount = await id.call(superOn(a.id), CREATE, { i: { name: 'from-account-ctx', scopes: ['audit.read'] } });
    expect(viaAccount.errors).toBeUndefined();
    // a super admin principal restricted to audit.read (a service account's own key) may not make more of them
    const scoped = principal({ kind: 'SERVICE', superAdmin: true, scopes: ['audit.read'], subject: 'service:alchemi-web' });
    expect(code(await id.call(scoped, CREATE, { i: { name: 'escalate', scopes: ['*'] } }))).toBe('FORBIDDEN');
  });

  it('disables a service account: its key is revoked and the lookup reports disabledAt', async () => {
    const { secret, serviceAccount } = (await id.call(platformAdmin(), CREATE, { i: { name: 'to-disable', scopes: ['audit.read'] } })).data
      .createServiceAccount;
    const r = await id.call(platformAdmin(), DISABLE, { id: serviceAccount.id });
    expect(r.data.disableServiceAccount).toMatchObject({ id: serviceAccount.id, disabledAt: expect.any(String) });
    const again = await id.call(platformAdmin(), DISABLE, { id: serviceAccount.id });
    expect(again.data.disableServiceAccount.disabledAt).toBe(r.data.disableServiceAccount.disabledAt);

    const found = (await lookup(secret)).body.key;
    expect(found.serviceAccount).toMatchObject({ id: serviceAccount.id, disabledAt: r.data.disableServiceAccount.disabledAt });
    expect(found.revokedAt).toBe(r.data.disableServiceAccount.disabledAt);
    expect(
      (await outboxTypes(id)).filter((e) => e.type === 'service_account.disabled' && e.subject?.id === serviceAccount.id),
    ).toHaveLength(1);

    expect(code(await id.call(platformAdmin(), DISABLE, { id: '00000000-0000-7000-8000-000000000000' }))).toBe('NOT_FOUND');
    expect(code(await id.call(platformAdmin(), DISABLE, { id: 'junk' }))).toBe('NOT_FOUND');
  });

  it('does not count service-account keys as a way back in for bootstrap', async () => {
    await id.call(platformAdmin(), CREATE, { i: { name: 'everything', scopes: ['*'] } });
    await id.sql(
      `update identity.api_key set revoked_at = now() where account_id is null and tier = 'ADMIN' and service_account_id is null and revoked_at is null`,
    );
    expect((await bootstrapAdminKey(id.server.orm)).created).toBe(true);
  });
});
