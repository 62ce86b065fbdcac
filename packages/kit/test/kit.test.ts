import { GraphQLError } from 'graphql';
import {
  CockpitError,
  canonicalJson,
  decodeCursor,
  encodeCursor,
  formatError,
  normalizeDecimal,
  pageSize,
  principal,
  signInternalToken,
  testKeys,
  toConnection,
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
    expect(decodeCursor(encodeCursor('k1'))).toBe('k1');
    expect(() => decodeCursor('!!')).toThrow(/Invalid cursor/);
    const c = toConnection([1, 2, 3], 2, String, 3);
    expect(c.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: encodeCursor('1'), endCursor: encodeCursor('2') });
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
});
