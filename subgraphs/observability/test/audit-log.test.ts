import {
  callSubgraph,
  encodeCursor,
  INTERNAL_TOKEN_HEADER,
  PLATFORM_ACCOUNT_ID,
  principal,
  signInternalToken,
  type OutboxEvent,
  type Principal,
} from '@cockpit/kit';
import { chainHash } from '../src';
import { EVENT_FIELDS, makeEvent, startObservability } from './helpers';

describe('observability: audit log, event lookup and chain integrity', () => {
  let env: Awaited<ReturnType<typeof startObservability>>;
  const queries: string[] = [];
  const accountA = '0193f000-0000-7000-8000-0000000001a1';
  const accountB = '0193f000-0000-7000-8000-0000000001b1';
  const viewerA = principal({ accountId: accountA, roles: ['VIEWER'] });
  const viewerB = principal({ accountId: accountB, roles: ['VIEWER'] });
  const platformAdmin = principal({ superAdmin: true, roles: ['SUPER_ADMIN'] });
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
  const H = 3_600_000;
  const D = 24 * H;
  let eventsA: OutboxEvent[];

  beforeAll(async () => {
    env = await startObservability({ onQuery: (q) => queries.push(q) });
    eventsA = [
      makeEvent(accountA, { occurredAt: ago(40 * D) }),
      makeEvent(accountA, {
        type: 'apikey.create',
        domain: 'CONSOLE',
        actor: { subject: 'user-2', kind: 'USER' },
        subject: { type: 'ApiKey', id: 'key-1' },
        payload: { name: 'CI Deploy key' },
        occurredAt: ago(10 * D),
      }),
      makeEvent(accountA, {
        type: 'apikey.revoke',
        domain: 'CONSOLE',
        actor: { subject: 'user-2', kind: 'USER' },
        subject: { type: 'ApiKey', id: 'key-1' },
        occurredAt: ago(3 * D),
      }),
      makeEvent(accountA, {
        type: 'guardrail.assign',
        actor: { subject: 'svc-sync', kind: 'SERVICE' },
        subject: null,
        payload: {},
        occurredAt: ago(2 * H),
      }),
      makeEvent(accountA, { occurredAt: ago(1 * H) }),
    ];
    for (const e of eventsA) expect((await env.ingest([e])).body.accepted).toBe(1);
    await env.ingest([
      makeEvent(accountB),
      makeEvent(accountB),
      makeEvent(PLATFORM_ACCOUNT_ID, { type: 'account.create', domain: 'PLATFORM' }),
    ]);
  });
  afterAll(() => env.close());

  const call = (who: Principal, query: string, variables?: Record<string, unknown>) =>
    callSubgraph(env.url, 'observability', env.keys.privateKey, who, query, variables);
  const LOG = `query($f: AuditFilter, $r: TimeRange, $from: DateTime, $to: DateTime, $first: Int, $after: String) {
    auditLog(filter: $f, range: $r, from: $from, to: $to, first: $first, after: $after) {
      totalCount edges { cursor node { seq } } nodes { seq type account { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    } }`;
  const seqs = async (who: Principal, vars: Record<string, unknown>) => {
    const r = await call(who, LOG, vars);
    expect(r.body.errors).toBeUndefined();
    return r.body.data.auditLog.nodes.map((n: { seq: number }) => n.seq);
  };

  it("lists the account's events newest first with opaque per-account cursors and totalCount", async () => {
    const r = await call(viewerA, LOG);
    expect(r.body.errors).toBeUndefined();
    const log = r.body.data.auditLog;
    expect(log.totalCount).toBe(5);
    expect(log.nodes.map((n: any) => n.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(log.nodes.every((n: any) => n.account.id === accountA)).toBe(true);
    expect(log.edges[0].cursor).toBe(encodeCursor('5'));
  });

  it("answers no-store (the kit sets it: Apollo's cache-control plugin is off)", async () => {
    const res = await fetch(env.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [INTERNAL_TOKEN_HEADER]: await signInternalToken(env.keys.privateKey, 'observability', viewerA),
      },
      body: JSON.stringify({ query: '{ auditLog(first: 2) { nodes { seq } } }' }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).data.auditLog.nodes).toHaveLength(2);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('pages with first/after on seq (keyset), totalCount unchanged', async () => {
    const p1 = (await call(viewerA, LOG, { first: 2 })).body.data.auditLog;
    expect(p1.nodes.map((n: any) => n.seq)).toEqual([5, 4]);
    expect(p1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const p2 = (await call(viewerA, LOG, { first: 2, after: p1.pageInfo.endCursor })).body.data.auditLog;
    expect(p2.nodes.map((n: any) => n.seq)).toEqual([3, 2]);
    expect(p2.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const p3 = (await call(viewerA, LOG, { first: 2, after: p2.pageInfo.endCursor })).body.data.auditLog;
    expect(p3.nodes.map((n: any) => n.seq)).toEqual([1]);
    expect(p3.pageInfo.hasNextPage).toBe(false);
    expect([p1.totalCount, p2.totalCount, p3.totalCount]).toEqual([5, 5, 5]);
  });

  it.each([
    ['types', { types: ['apikey.create', 'apikey.revoke'] }, [3, 2]],
    ['domain', { domain: 'CONSOLE' }, [3, 2]],
    ['subjectId', { subjectId: 'key-1' }, [3, 2]],
    ['actorSubject', { actorSubject: 'svc-sync' }, [4]],
    ['search (case-insensitive, in the payload)', { search: 'ci deploy' }, [2]],
    ['search (in the type)', { search: 'GUARDRAIL' }, [4]],
    ['search (literal %, no wildcard)', { search: '%' }, []],
    ['combined criteria', { domain: 'CONSOLE', types: ['apikey.revoke'] }, [3]],
  ])('filters by %s', async (_, f, expected) => {
    expect(await seqs(viewerA, { f })).toEqual(expected);
    const r = await call(viewerA, LOG, { f });
    expect(r.body.data.auditLog.totalCount).toBe(expected.length);
  });

  it.each([
    ['LAST_24H', [5, 4]],
    ['LAST_7D', [5, 4, 3]],
    ['LAST_30D', [5, 4, 3, 2]],
  ])('limits to range %s', async (range, expected) => {
    expect(await seqs(viewerA, { r: range })).toEqual(expected);
  });

  it('limits to from/to', async () => {
    expect(await seqs(viewerA, { from: ago(11 * D), to: ago(2 * D) })).toEqual([3, 2]);
  });

  it('answers VALIDATION_ERROR for a range together with from, or from after to', async () => {
    const both = await call(viewerA, LOG, { r: 'LAST_7D', from: ago(D) });
    expect(both.body.errors[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { range: expect.any(String) } });
    const reversed = await call(viewerA, LOG, { from: ago(D), to: ago(2 * D) });
    expect(reversed.body.errors[0].extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: { from: expect.any(String) } });
  });

  it('answers INVALID_REQUEST for a forged cursor or a negative first', async () => {
    expect((await call(viewerA, LOG, { after: encodeCursor('x; drop') })).body.errors[0].extensions.code).toBe('INVALID_REQUEST');
    expect((await call(viewerA, LOG, { first: -1 })).body.errors[0].extensions.code).toBe('INVALID_REQUEST');
  });

  it("keeps tenants apart: B sees only B's chain; a super admin without X-Account-Id reads the platform chain", async () => {
    const b = (await call(viewerB, LOG)).body.data.auditLog;
    expect(b.totalCount).toBe(2);
    expect(b.nodes.every((n: any) => n.account.id === accountB)).toBe(true);
    const platform = (await call(platformAdmin, LOG)).body.data.auditLog;
    expect(platform.nodes).toEqual([{ seq: 1, type: 'account.create', account: { id: PLATFORM_ACCOUNT_ID } }]);
    const superOnA = principal({ superAdmin: true, roles: ['SUPER_ADMIN'], accountId: accountA });
    expect((await call(superOnA, LOG)).body.data.auditLog.totalCount).toBe(5);
  });

  it('forbids principals without an admin role, and asks others for an account', async () => {
    const endUser = principal({ accountId: accountA, roles: ['END_USER'] });
    expect((await call(endUser, LOG)).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await call(endUser, `{ auditIntegrity { headSeq } }`)).body.errors[0].extensions.code).toBe('FORBIDDEN');
    const noAccount = principal({ roles: ['VIEWER'] });
    expect((await call(noAccount, LOG)).body.errors[0].extensions.code).toBe('INVALID_REQUEST');
  });

  it('returns one event with every field, the same as in the log', async () => {
    const e = eventsA[1];
    const r = await call(viewerA, `query($id: ID!) { event(id: $id) { ${EVENT_FIELDS} } }`, { id: e.id });
    expect(r.body.errors).toBeUndefined();
    const ev = r.body.data.event;
    expect(ev).toMatchObject({
      id: e.id,
      seq: 2,
      cursor: encodeCursor('2'),
      type: 'apikey.create',
      domain: 'CONSOLE',
      source: 'budgets',
      actor: { subject: 'user-2', kind: 'USER' },
      subjectType: 'ApiKey',
      subjectId: 'key-1',
      payload: { name: 'CI Deploy key' },
      requestId: 'req-1',
      occurredAt: e.occurredAt,
      account: { id: accountA },
    });
    expect(ev.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(ev.recordedAt)).not.toBeNaN();
    const fromLog = await call(viewerA, `{ auditLog(first: 100) { nodes { ${EVENT_FIELDS} } } }`);
    expect(fromLog.body.data.auditLog.nodes.find((n: any) => n.id === e.id)).toEqual(ev);
  });

  it("answers NOT_FOUND for another account's event by field, null by entity reference", async () => {
    const id = eventsA[0].id;
    const byField = await call(viewerB, `query($id: ID!) { event(id: $id) { id } }`, { id });
    expect(byField.body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect(byField.body.data.event).toBeNull();
    const byRef = await call(viewerB, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Event { id payload } } }`, {
      r: [{ __typename: 'Event', id }],
    });
    expect(byRef.body.data._entities).toEqual([null]);
    expect(JSON.stringify(byRef.body)).not.toContain('monthlyCredits');
    const garbage = await call(viewerA, `{ event(id: "not-a-uuid") { id } }`);
    expect(garbage.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('resolves entity references through one batched query', async () => {
    queries.length = 0;
    const r = await call(viewerA, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Event { seq } } }`, {
      r: eventsA.slice(0, 3).map((e) => ({ __typename: 'Event', id: e.id })),
    });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data._entities.map((e: any) => e.seq)).toEqual([1, 2, 3]);
    expect(queries.filter((q) => q.includes('"observability"."event"'))).toHaveLength(1);
  });

  describe('auditIntegrity', () => {
    const INTEGRITY = `{ auditIntegrity { verified gaps breaks firstBrokenSeq headSeq headHash } }`;
    const account = '0193f000-0000-7000-8000-0000000001c1';
    const admin = principal({ accountId: account, roles: ['ADMIN'] });
    const integrity = async () => {
      const r = await call(admin, INTEGRITY);
      expect(r.body.errors).toBeUndefined();
      return r.body.data.auditIntegrity;
    };
    const row = async (seq: number) =>
      (await env.sql(`select * from observability.event where account_id = ? and seq = ?`, [account, seq]))[0];

    beforeAll(async () => {
      await env.ingest(Array.from({ length: 6 }, (_, n) => makeEvent(account, { payload: { n } })));
    });

    it('verifies an intact chain and reports its head', async () => {
      const head = await row(6);
      expect(await integrity()).toEqual({ verified: 6, gaps: 0, breaks: 0, firstBrokenSeq: null, headSeq: 6, headHash: head.hash });
    });

    it('reports an empty chain as intact', async () => {
      const empty = principal({ accountId: '0193f000-0000-7000-8000-0000000001e1', roles: ['VIEWER'] });
      const r = await call(empty, INTEGRITY);
      expect(r.body.data.auditIntegrity).toEqual({
        verified: 0,
        gaps: 0,
        breaks: 0,
        firstBrokenSeq: null,
        headSeq: 0,
        headHash: '0'.repeat(64),
      });
    });

    it('detects a payload rewritten by a superuser, naming the first broken seq', async () => {
      await env.sql(`update observability.event set payload = '{"n": 99}'::jsonb where account_id = ? and seq = 3`, [account]);
      expect(await integrity()).toMatchObject({ verified: 5, gaps: 0, breaks: 1, firstBrokenSeq: 3, headSeq: 6 });
    });

    it('detects a rewrite that also recomputes the hash: the next link breaks', async () => {
      const r = await row(3);
      const forged = chainHash(r.prev_hash, {
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
      await env.sql(`update observability.event set hash = ? where account_id = ? and seq = 3`, [forged, account]);
      expect(await integrity()).toMatchObject({ verified: 5, breaks: 1, firstBrokenSeq: 4 });
    });

    it('counts deleted events as gaps', async () => {
      await env.sql(`delete from observability.event where account_id = ? and seq in (1, 2)`, [account]);
      expect(await integrity()).toMatchObject({ gaps: 2, firstBrokenSeq: 1, headSeq: 6 });
    });

    it("leaves other accounts' chains intact", async () => {
      const r = await call(viewerA, INTEGRITY);
      expect(r.body.data.auditIntegrity).toMatchObject({ verified: 5, gaps: 0, breaks: 0, firstBrokenSeq: null, headSeq: 5 });
    });
  });
});
