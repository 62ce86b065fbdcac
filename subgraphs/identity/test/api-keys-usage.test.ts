import { createHash } from 'node:crypto';
import {
  freshDatabase,
  INTERNAL_TOKEN_HEADER,
  servicePrincipal,
  signInternalToken,
  startTestSubgraph,
  testKeys,
  testLogger,
} from '@cockpit/kit';
import { bootstrapAdminKey, createIdentitySubgraph, LOOKUP_PATH } from '../src';
import { member, newAccount, type Identity } from './helpers';

/** Long enough that 100 lookups finish inside one interval even on a loaded machine: the test asserts what one flush writes. */
const FLUSH_MS = 15_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const CREATE = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id } } }`;
const STAMP = /update "identity"\."api_key" set "?last_used_at/i;

/** ID6: lastUsedAt without a write per request — remembered in memory, written in one statement per interval. */
describe('identity: API-key last use is written in batches', () => {
  let id: Identity;
  beforeAll(async () => {
    id = await startTestSubgraph(createIdentitySubgraph, { lastUsedFlushMs: FLUSH_MS });
  });
  afterAll(() => id.close());

  const lookup = (secret: string) => id.route(LOOKUP_PATH, servicePrincipal('gateway'), { hash: sha256(secret) });
  const lastUsed = async (keyId: string) =>
    (await id.sql(`select last_used_at from identity.api_key where id = ?`, [keyId]))[0].last_used_at;
  async function key(accountId: string, name: string) {
    const r = await id.call(member(accountId, 'ADMIN'), CREATE, { i: { name, tier: 'CLIENT' } });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data.createApiKey as { secret: string; apiKey: { id: string } };
  }
  const waitForFlush = () => new Promise((r) => setTimeout(r, FLUSH_MS + 1000));

  it('turns 100 lookups of one key (and some of another) into one UPDATE', async () => {
    const a = await newAccount(id);
    const hot = await key(a.id, 'hot');
    const other = await key(a.id, 'other');
    const sql = await id.statements(async () => {
      for (let i = 0; i < 100; i++) expect((await lookup(hot.secret)).status).toBe(200);
      await Promise.all([lookup(other.secret), lookup(other.secret)]);
      // nothing is written while answering lookups
      expect(await lastUsed(hot.apiKey.id)).toBeNull();
      // the flush's timer and its UPDATE run late on a loaded machine: wait for the stamp itself (bounded)
      for (const until = Date.now() + 3 * FLUSH_MS; (await lastUsed(hot.apiKey.id)) === null && Date.now() < until;)
        await new Promise((r) => setTimeout(r, 250));
    });
    expect(sql.filter((s) => STAMP.test(s))).toHaveLength(1);
    // and no other write to the keys either (the outbox relay's own statements are not ours)
    expect(sql.filter((s) => /\b(update|insert into|delete from)\s+"identity"\."api_key"/i.test(s))).toHaveLength(1);
    const stamped = await lastUsed(hot.apiKey.id);
    expect(stamped).not.toBeNull();
    expect(Date.now() - new Date(stamped).getTime()).toBeLessThan(60_000);
    expect(await lastUsed(other.apiKey.id)).not.toBeNull();
  });

  it('writes nothing for lookups of a revoked key, nor while no key is used', async () => {
    const a = await newAccount(id);
    const k = await key(a.id, 'gone');
    await id.call(member(a.id, 'ADMIN'), `mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: k.apiKey.id });
    const sql = await id.statements(async () => {
      expect((await lookup(k.secret)).body.key.revokedAt).not.toBeNull();
      await waitForFlush();
    });
    expect(sql.filter((s) => STAMP.test(s))).toHaveLength(0);
    expect(await lastUsed(k.apiKey.id)).toBeNull();
  });

  it('writes pending uses when the subgraph closes', async () => {
    const keys = testKeys();
    const db = await freshDatabase();
    const config = {
      databaseUrl: db.url,
      gatewayPublicKey: keys.publicKey,
      serviceKey: keys.privateKey,
      observabilityUrl: 'http://127.0.0.1:9/unused',
      log: testLogger(),
    };
    try {
      const first = await createIdentitySubgraph(config);
      const url = await first.listen();
      const boot = await bootstrapAdminKey(first.orm);
      if (!boot.created) throw new Error('expected a bootstrap key');
      const res = await fetch(url.replace(/\/graphql$/, LOOKUP_PATH), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [INTERNAL_TOKEN_HEADER]: await signInternalToken(keys.privateKey, 'identity', servicePrincipal('gateway')),
        },
        body: JSON.stringify({ hash: sha256(boot.secret) }),
      });
      expect(res.status).toBe(200);
      await first.close(); // long before the interval ends

      const second = await createIdentitySubgraph(config);
      try {
        const [row] = await second.orm.em.getConnection().execute(`select last_used_at from identity.api_key where id = ?`, [boot.keyId]);
        expect(row.last_used_at).not.toBeNull();
      } finally {
        await second.close();
      }
    } finally {
      await db.close();
    }
  });
});
