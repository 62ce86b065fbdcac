import { createHash } from 'node:crypto';
import { PLATFORM_ACCOUNT_ID, principal, servicePrincipal } from '@cockpit/kit';
import { bootstrapAdminKey, LOOKUP_PATH, recoverAdminKey } from '../src';
import { member, newAccount, outboxTypes, platformAdmin, startIdentity, superOn, type Identity } from './helpers';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const SECRET_SHAPE = /^sk-cap-[a-z2-7]{52}$/;

const CREATE = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id name tier scopes modelAllowlist prefix createdAt expiresAt revokedAt lastUsedAt } } }`;
const REVOKE = `mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;
const LIST = `{ apiKeys { totalCount nodes { id name prefix } } }`;

describe('identity: API keys (ID6) and bootstrap (ID7)', () => {
  let id: Identity;
  beforeAll(async () => {
    id = await startIdentity();
  });
  afterAll(() => id.close());

  const lookup = (hash: string, who = servicePrincipal('gateway')) => id.route(LOOKUP_PATH, who, { hash });

  it('shows the secret once, stores only its sha256, and the lookup finds the key by hash', async () => {
    const a = await newAccount(id);
    const admin = member(a.id, 'ADMIN');
    const r = await id.call(admin, CREATE, {
      i: { name: 'ci', tier: 'CLIENT', scopes: ['directory.read'], modelAllowlist: ['gpt-4o'], expiresAt: '2099-01-01T00:00:00.000Z' },
    });
    expect(r.errors).toBeUndefined();
    const { secret, apiKey } = r.data.createApiKey;
    expect(secret).toMatch(SECRET_SHAPE);
    expect(apiKey).toMatchObject({
      name: 'ci',
      tier: 'CLIENT',
      scopes: ['directory.read'],
      modelAllowlist: ['gpt-4o'],
      prefix: secret.slice(0, 12),
      expiresAt: '2099-01-01T00:00:00.000Z',
      revokedAt: null,
    });

    // at rest: the hash and the display prefix, never the secret
    const [row] = await id.sql(`select * from identity.api_key where id = ?`, [apiKey.id]);
    expect(row.hash).toBe(sha256(secret));
    expect(JSON.stringify(row)).not.toContain(secret.slice(12));
    // nor in the audit event
    const events = (await outboxTypes(id)).filter((e) => e.type === 'api_key.created' && e.subject?.id === apiKey.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ accountId: a.id, domain: 'CONSOLE', payload: { name: 'ci', prefix: secret.slice(0, 12) } });
    expect(JSON.stringify(events[0])).not.toContain(secret.slice(12));

    // listing never shows the secret again, and the schema has no field for the hash
    const list = await id.call(admin, LIST);
    expect(list.data.apiKeys).toEqual({ totalCount: 1, nodes: [{ id: apiKey.id, name: 'ci', prefix: secret.slice(0, 12) }] });
    expect((await id.call(admin, `{ apiKeys { nodes { hash } } }`)).errors?.[0].extensions.code).toBe('INVALID_REQUEST');

    const found = await lookup(sha256(secret));
    expect(found.status).toBe(200);
    expect(found.body.key).toEqual({
      id: apiKey.id,
      accountId: a.id,
      userId: null,
      tier: 'CLIENT',
      scopes: ['directory.read'],
      modelAllowlist: ['gpt-4o'],
      expiresAt: '2099-01-01T00:00:00.000Z',
      revokedAt: null,
      accountStatus: 'ACTIVE',
      userStatus: null,
      roles: ['END_USER'],
      serviceAccount: null,
    });
    // lastUsedAt is written in batches: see api-keys-usage.test.ts
    expect((await lookup(sha256('sk-cap-unknown'))).body).toEqual({ key: null });
  });

  it('revokes a key: the lookup then reports revokedAt, and the revocation is audited once', async () => {
    const a = await newAccount(id);
    const admin = member(a.id, 'ADMIN');
    const { secret, apiKey } = (await id.call(admin, CREATE, { i: { name: 'temp', tier: 'ADMIN' } })).data.createApiKey;
    const r = await id.call(admin, REVOKE, { id: apiKey.id });
    expect(r.errors).toBeUndefined();
    expect(r.data.revokeApiKey.revokedAt).toEqual(expect.any(String));
    expect((await id.call(admin, REVOKE, { id: apiKey.id })).data.revokeApiKey.revokedAt).toBe(r.data.revokeApiKey.revokedAt);
    const found = await lookup(sha256(secret));
    expect(found.body.key).toMatchObject({ id: apiKey.id, revokedAt: r.data.revokeApiKey.revokedAt });
    const revoked = (await outboxTypes(id)).filter((e) => e.type === 'api_key.revoked' && e.subject?.id === apiKey.id);
    expect(revoked).toHaveLength(1);
  });

  it('refuses the lookup to anything but a SERVICE principal, and malformed hashes', async () => {
    const a = await newAccount(id);
    for (const who of [platformAdmin(), member(a.id, 'OWNER'), principal({ kind: 'API_KEY', superAdmin: true })]) {
      const r = await lookup(sha256('x'), who);
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('FORBIDDEN');
    }
    const bad = await lookup('not-a-hash');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('INVALID_REQUEST');
  });

  it('validates input and answers NOT_FOUND for another tenant’s key', async () => {
    const a = await newAccount(id);
    const b = await newAccount(id);
    const bad = await id.call(member(a.id, 'ADMIN'), CREATE, {
      i: { name: '', tier: 'CLIENT', scopes: ['nope.read'], expiresAt: '2001-01-01T00:00:00Z' },
    });
    expect(bad.errors?.[0].extensions).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { name: expect.any(String), scopes: expect.any(String), expiresAt: expect.any(String) },
    });
    const keyB = (await id.call(member(b.id, 'ADMIN'), CREATE, { i: { name: 'b', tier: 'CLIENT', scopes: ['directory.*'] } })).data
      .createApiKey.apiKey;
    expect((await id.call(member(a.id, 'ADMIN'), REVOKE, { id: keyB.id })).errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect(
      (await id.call(member(a.id, 'ADMIN'), `query($id: ID!) { apiKey(id: $id) { id } }`, { id: keyB.id })).errors?.[0].extensions.code,
    ).toBe('NOT_FOUND');
    expect((await id.call(member(a.id, 'ADMIN'), LIST)).data.apiKeys.nodes.map((k: any) => k.id)).not.toContain(keyB.id);
  });

  it('forbids viewers and operators from reading or writing keys', async () => {
    const a = await newAccount(id);
    for (const role of ['VIEWER', 'OPERATOR'] as const) {
      expect((await id.call(member(a.id, role), CREATE, { i: { name: 'x', tier: 'CLIENT' } })).errors?.[0].extensions.code).toBe(
        'FORBIDDEN',
      );
      expect((await id.call(member(a.id, role), LIST)).errors?.[0].extensions.code).toBe('FORBIDDEN');
    }
  });

  it('lets a super admin without X-Account-Id manage platform keys, kept apart from account keys', async () => {
    const a = await newAccount(id);
    const r = await id.call(platformAdmin(), CREATE, { i: { name: 'ops', tier: 'ADMIN' } });
    expect(r.errors).toBeUndefined();
    const { secret, apiKey } = r.data.createApiKey;
    expect((await lookup(sha256(secret))).body.key).toMatchObject({ id: apiKey.id, accountId: null, tier: 'ADMIN', accountStatus: null });
    const platformList = (await id.call(platformAdmin(), LIST)).data.apiKeys.nodes.map((k: any) => k.id);
    expect(platformList).toContain(apiKey.id);
    // an account (even acting through a super admin) does not see platform keys
    expect((await id.call(superOn(a.id), LIST)).data.apiKeys.nodes.map((k: any) => k.id)).not.toContain(apiKey.id);
    expect((await id.call(member(a.id, 'OWNER'), REVOKE, { id: apiKey.id })).errors?.[0].extensions.code).toBe('NOT_FOUND');
    const event = (await outboxTypes(id)).find((e) => e.subject?.id === apiKey.id)!;
    expect(event).toMatchObject({ type: 'api_key.created', accountId: PLATFORM_ACCOUNT_ID, domain: 'PLATFORM' });
    // only super admins touch platform keys
    expect((await id.call(principal({ roles: ['OWNER'] }), CREATE, { i: { name: 'x', tier: 'ADMIN' } })).errors?.[0].extensions.code).toBe(
      'FORBIDDEN',
    );
  });

  describe('bootstrap', () => {
    it('creates a platform ADMIN key only while no usable one exists; recover always creates one', async () => {
      // revoke every live platform admin key left by other tests, so the platform is "locked out"
      await id.sql(`update identity.api_key set revoked_at = now() where account_id is null and tier = 'ADMIN' and revoked_at is null`);
      // a platform CLIENT key does not count
      await id.call(platformAdmin(), CREATE, { i: { name: 'client-only', tier: 'CLIENT' } });

      const first = await bootstrapAdminKey(id.server.orm);
      expect(first.created).toBe(true);
      if (!first.created) return;
      expect(first.secret).toMatch(SECRET_SHAPE);
      const found = await lookup(sha256(first.secret));
      expect(found.body.key).toMatchObject({ id: first.keyId, accountId: null, tier: 'ADMIN', revokedAt: null });
      const [row] = await id.sql(`select name, hash from identity.api_key where id = ?`, [first.keyId]);
      expect(row).toEqual({ name: 'bootstrap', hash: sha256(first.secret) });

      expect(await bootstrapAdminKey(id.server.orm)).toEqual({ created: false });

      // the key can be revoked like any other platform key; then bootstrap creates a new one
      expect((await id.call(platformAdmin(), REVOKE, { id: first.keyId })).errors).toBeUndefined();
      const again = await bootstrapAdminKey(id.server.orm);
      expect(again.created).toBe(true);
      if (again.created) expect(again.keyId).not.toBe(first.keyId);

      const recovered = await recoverAdminKey(id.server.orm);
      expect(recovered.secret).toMatch(SECRET_SHAPE);
      expect((await lookup(sha256(recovered.secret))).body.key).toMatchObject({ id: recovered.keyId, tier: 'ADMIN' });

      const events = (await outboxTypes(id)).filter((e) => ['api_key.bootstrapped', 'api_key.recovered'].includes(e.type));
      expect(events.map((e) => e.type)).toEqual(['api_key.bootstrapped', 'api_key.bootstrapped', 'api_key.recovered']);
      for (const e of events) {
        expect(e).toMatchObject({ accountId: PLATFORM_ACCOUNT_ID, domain: 'PLATFORM', actor: { subject: 'cli', kind: 'SERVICE' } });
        expect(JSON.stringify(e)).not.toMatch(/sk-cap-[a-z2-7]{20}/);
      }
    });

    it('serializes concurrent bootstraps: exactly one creates a key', async () => {
      await id.sql(`update identity.api_key set revoked_at = now() where account_id is null and tier = 'ADMIN' and revoked_at is null`);
      const results = await Promise.all([
        bootstrapAdminKey(id.server.orm),
        bootstrapAdminKey(id.server.orm),
        bootstrapAdminKey(id.server.orm),
      ]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
    });
  });
});
