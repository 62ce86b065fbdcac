import { PLATFORM_ACCOUNT_ID, principal, servicePrincipal, type OutboxEvent } from '@cockpit/kit';
import { chainHash, GENESIS_HASH, type LiveMessage } from '../src';
import { makeEvent, startObservability } from './helpers';

describe('observability: ingest into the hash chain (§4, §8 audit integrity)', () => {
  let env: Awaited<ReturnType<typeof startObservability>>;
  const accountA = '0193f000-0000-7000-8000-0000000000a1';
  const accountB = '0193f000-0000-7000-8000-0000000000b1';

  beforeAll(async () => {
    env = await startObservability();
  });
  afterAll(() => env.close());

  const chainOf = (accountId: string) =>
    env.sql(
      `select account_id, seq, id, type, domain, source, actor, subject_type, subject_id, payload, request_id, occurred_at, prev_hash, hash
       from observability.event where account_id = ? order by seq`,
      [accountId],
    );

  /** Recomputes every hash and link the way an external auditor would. */
  function expectValidChain(rows: any[]) {
    let prev = GENESIS_HASH;
    rows.forEach((r, i) => {
      expect(Number(r.seq)).toBe(i + 1);
      expect(r.prev_hash).toBe(prev);
      const recomputed = chainHash(r.prev_hash, {
        accountId: r.account_id,
        seq: Number(r.seq),
        id: r.id,
        type: r.type,
        domain: r.domain,
        source: r.source,
        actor: r.actor,
        subjectType: r.subject_type,
        subjectId: r.subject_id,
        payload: r.payload,
        requestId: r.request_id,
        occurredAt: r.occurred_at,
      });
      expect(r.hash).toBe(recomputed);
      prev = r.hash;
    });
  }

  it('refuses a call without the internal token', async () => {
    const r = await env.ingest([makeEvent(accountA)], null);
    expect(r.status).toBe(401);
  });

  it('refuses a token minted for another subgraph', async () => {
    const r = await env.ingest([makeEvent(accountA)], servicePrincipal('budgets'), 'budgets');
    expect(r.status).toBe(401);
  });

  it.each([
    ['an account owner', principal({ accountId: accountA, roles: ['OWNER'] })],
    ['a super admin user', principal({ superAdmin: true, roles: ['SUPER_ADMIN'] })],
    ['an agent', principal({ kind: 'AGENT', accountId: accountA, roles: ['END_USER'] })],
  ])('refuses %s (only SERVICE principals may ingest)', async (_, who) => {
    const r = await env.ingest([makeEvent(accountA)], who);
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('FORBIDDEN');
  });

  it('refuses a malformed batch as a whole with field details', async () => {
    const bad = { ...makeEvent(accountA), id: 'nope', domain: 'ELSEWHERE' } as unknown as OutboxEvent;
    const r = await env.ingest([makeEvent(accountA), bad]);
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { 'events[1].id': expect.any(String), 'events[1].domain': expect.any(String) },
    });
    expect(await chainOf(accountA)).toHaveLength(0);
  });

  it('builds a valid chain: seq 1..n, each hash over prev_hash and the canonical event', async () => {
    const published: LiveMessage[] = [];
    const off = env.bus.subscribe(accountA, (m) => published.push(m));
    const events = [1, 2, 3].map((n) => makeEvent(accountA, { payload: { n, nested: { b: 2, a: [1, 'x', null] } } }));
    const r = await env.ingest(events);
    off();
    expect(r).toEqual({ status: 200, body: { accepted: 3, duplicates: 0 } });
    const rows = await chainOf(accountA);
    expect(rows.map((x) => x.id)).toEqual(events.map((e) => e.id));
    expectValidChain(rows);
    // announced on the live bus after commit, in chain order
    expect(published).toEqual(events.map((e, i) => ({ accountId: accountA, seq: i + 1, id: e.id })));
  });

  it('binds the account id into the hash: the same event under another account hashes differently', () => {
    const e = { ...makeEvent(accountA), seq: 1, subjectType: null, subjectId: null };
    expect(chainHash(GENESIS_HASH, e)).not.toBe(chainHash(GENESIS_HASH, { ...e, accountId: accountB }));
    expect(chainHash(GENESIS_HASH, e)).not.toBe(chainHash(GENESIS_HASH, { ...e, seq: 2 }));
  });

  it('ignores event ids it has already recorded, and repeats within a batch', async () => {
    const before = await chainOf(accountA);
    const again = before.map((row) => makeEvent(accountA, { id: row.id }));
    const fresh = makeEvent(accountA);
    const r = await env.ingest([...again, fresh, fresh]);
    expect(r.body).toEqual({ accepted: 1, duplicates: before.length + 1 });
    const rows = await chainOf(accountA);
    expect(rows).toHaveLength(before.length + 1);
    expect(rows[rows.length - 1].id).toBe(fresh.id);
    expectValidChain(rows);
  });

  it('keeps one chain per account in a mixed batch, platform chain included', async () => {
    const r = await env.ingest([makeEvent(accountB), makeEvent(PLATFORM_ACCOUNT_ID, { domain: 'PLATFORM' }), makeEvent(accountB)]);
    expect(r.body).toEqual({ accepted: 3, duplicates: 0 });
    expectValidChain(await chainOf(accountB));
    expectValidChain(await chainOf(PLATFORM_ACCOUNT_ID));
    expect(await chainOf(accountB)).toHaveLength(2);
  });

  it('serialises concurrent batches per account: no fork, no gap, no duplicate seq', async () => {
    const account = '0193f000-0000-7000-8000-0000000000c1';
    const batches = Array.from({ length: 8 }, () => [makeEvent(account), makeEvent(account), makeEvent(accountB)]);
    const results = await Promise.all(batches.map((b) => env.ingest(b)));
    expect(results.every((r) => r.status === 200 && r.body.accepted === 3)).toBe(true);
    const rows = await chainOf(account);
    expect(rows).toHaveLength(16);
    expectValidChain(rows);
    expectValidChain(await chainOf(accountB));
  });

  it("delivers the subgraph's own outbox in-process into the chain", async () => {
    const account = '0193f000-0000-7000-8000-0000000000d1';
    const ctx = env.server.contextFor(principal({ accountId: account, roles: ['ADMIN'] }));
    const recorded = await ctx.write(({ audit }) => audit({ type: 'audit.export', payload: { format: 'csv' } }));
    let rows: any[] = [];
    for (let i = 0; i < 50 && rows.length === 0; i++) {
      rows = await chainOf(account);
      if (!rows.length) await new Promise((r) => setTimeout(r, 50));
    }
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: recorded.id, type: 'audit.export', source: 'observability', payload: { format: 'csv' } });
    expectValidChain(rows);
    // the relay deletes the delivered row in its own transaction, just after the ingest commits
    let pending = [{ n: -1 }];
    for (let i = 0; i < 50 && pending[0].n !== 0; i++) {
      pending = await env.sql(`select count(*)::int as n from observability.outbox`);
      if (pending[0].n !== 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(pending).toEqual([{ n: 0 }]);
  });

  it.each([
    ['update', `update observability.event set payload = '{}'::jsonb`],
    ['delete', `delete from observability.event`],
    ['truncate', `truncate observability.event`],
  ])('does not let the app role %s the chain', async (_, statement) => {
    const em = env.server.orm.em.fork();
    await expect(
      em.transactional(async (tx) => {
        await tx.execute(`select set_config('cockpit.platform', 'on', true)`);
        await tx.execute('set local role cockpit_app');
        await tx.execute(statement);
      }),
    ).rejects.toThrow(/permission denied/);
  });

  it('lets the app role read and append under RLS, and only within its account', async () => {
    const em = env.server.orm.em.fork();
    const seen = await em.transactional(async (tx) => {
      await tx.execute(`select set_config('cockpit.account_id', ?, true), set_config('role', 'cockpit_app', true)`, [accountB]);
      return tx.execute(`select distinct account_id from observability.event`);
    });
    expect(seen).toEqual([{ account_id: accountB }]);
  });
});
