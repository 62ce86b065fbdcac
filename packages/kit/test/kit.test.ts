import { GraphQLError } from 'graphql';
import {
  CockpitError,
  canonicalJson,
  changedFields,
  decodeCursor,
  encodeCursor,
  formatError,
  normalizeDecimal,
  pageSize,
  paginate,
  type PageRequest,
  principal,
  seqKey,
  signInternalToken,
  testKeys,
  toConnection,
  uuidKey,
  uuidv7,
  verifyInternalToken,
} from '../src';

describe('kit building blocks', () => {
  it('produces RFC 8785 canonical JSON', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 1.5, y: 'é' } })).toBe('{"a":[true,null,"x"],"b":1,"c":{"y":"é","z":1.5}}');
    expect(canonicalJson({ a: undefined, b: 1e21 })).toBe('{"b":1e+21}');
  });

  it('makes strictly increasing UUIDv7 ids', () => {
    const ids = Array.from({ length: 2000 }, () => uuidv7());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('clamps pages and rejects forged cursors', () => {
    expect(pageSize(undefined)).toBe(50);
    expect(pageSize(1000)).toBe(100);
    expect(() => pageSize(-1)).toThrow(CockpitError);
    const id = uuidv7();
    expect(decodeCursor(encodeCursor(id))).toBe(id);
    expect(decodeCursor(encodeCursor('42'), seqKey)).toBe('42');
    for (const [bad, key] of [
      ['!!', uuidKey],
      [encodeCursor('k1'), uuidKey],
      [encodeCursor(id), seqKey],
      ['', uuidKey],
    ] as const) {
      const e = (() => {
        try {
          decodeCursor(bad, key);
        } catch (err) {
          return err as CockpitError;
        }
      })();
      expect({ code: e?.code, details: e?.details }).toEqual({ code: 'INVALID_REQUEST', details: { after: expect.any(String) } });
    }
    const c = toConnection([1, 2, 3], 2, String, 3);
    expect(c.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: encodeCursor('1'), endCursor: encodeCursor('2') });
  });

  it('paginates by key: page size plus one asked for, the cursor of the last row resumes', async () => {
    const ids = Array.from({ length: 5 }, () => uuidv7());
    const asked: PageRequest[] = [];
    const list = (args: { first?: number; after?: string | null }) =>
      paginate(args, {
        rows: async (p) => {
          asked.push(p);
          return ids.filter((id) => p.after === null || id > p.after).slice(0, p.take);
        },
        key: (id) => id,
        count: async () => ids.length,
      });
    const one = await list({ first: 2 });
    expect(one.nodes).toEqual(ids.slice(0, 2));
    expect(one.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const two = await list({ first: 2, after: one.pageInfo.endCursor });
    expect(two.nodes).toEqual(ids.slice(2, 4));
    expect(two.pageInfo.hasPreviousPage).toBe(true);
    await list({ first: 1000 });
    expect(asked.map((p) => p.take)).toEqual([3, 3, 101]);
    await expect(list({ after: 'garbage' })).rejects.toMatchObject({ code: 'INVALID_REQUEST', details: { after: expect.any(String) } });
  });

  it('spells decimals one way', () => {
    expect(normalizeDecimal('2000.5000')).toBe('2000.5');
    expect(normalizeDecimal('10.000')).toBe('10');
    expect(normalizeDecimal('100')).toBe('100');
  });

  it('masks unexpected errors and keeps expected ones with their details', () => {
    const expected = new CockpitError('VALIDATION_ERROR', 'bad', { email: 'invalid' });
    expect(
      formatError(
        { message: 'bad', extensions: { code: 'VALIDATION_ERROR', details: { email: 'invalid' } } },
        new GraphQLError('bad', { originalError: expected }),
      ),
    ).toMatchObject({
      message: 'bad',
      extensions: { code: 'VALIDATION_ERROR', details: { email: 'invalid' } },
    });
    const leaked = new Error('relation "identity.secret" does not exist at character 42');
    const masked = formatError(
      { message: leaked.message, extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['x'] } },
      new GraphQLError(leaked.message, { originalError: leaked }),
    );
    expect(masked).toEqual({ message: 'Internal error', extensions: { code: 'INTERNAL_ERROR' } });
  });

  it('signs internal tokens that only the right audience and key accept', async () => {
    const keys = testKeys();
    const p = principal({ accountId: 'a', roles: ['ADMIN'] });
    const token = await signInternalToken(keys.privateKey, 'budgets', p);
    expect(await verifyInternalToken(keys.publicKey, 'budgets', token)).toMatchObject({ accountId: 'a', roles: ['ADMIN'] });
    await expect(verifyInternalToken(keys.publicKey, 'identity', token)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(verifyInternalToken(testKeys().publicKey, 'budgets', token)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(verifyInternalToken(keys.publicKey, 'budgets', undefined)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('diffs the listed fields for an update event, null and undefined alike', () => {
    const current = { name: 'a', url: null as string | null, status: 'ACTIVE', secret: 'x' };
    expect(changedFields(current, { name: 'a', url: undefined, status: 'ACTIVE' }, ['name', 'url', 'status'])).toBeNull();
    expect(changedFields(current, { name: 'b', url: 'https://x', status: 'ACTIVE' }, ['name', 'url', 'status'])).toEqual({
      before: { name: 'a', url: null },
      after: { name: 'b', url: 'https://x' },
    });
  });
});
