import { SecretBox, generateSecretKeys, parseSecretKeys } from '../src';

/** The connections' envelope encryption (CA7): AES-256-GCM, the first key seals, every key opens, rotation re-wraps. */
describe('SecretBox', () => {
  const secret = { api_key: 'sk-test-0123456789' };

  it('seals with a fresh data key under the first key; the value is nowhere in what is stored', () => {
    const box = SecretBox.fromConfig(`${generateSecretKeys('a')},${generateSecretKeys('b')}`);
    const sealed = box.seal(secret, 'acct|conn');
    expect(sealed.keyId).toBe('a');
    expect(JSON.stringify(sealed)).not.toContain('sk-test');
    expect(box.seal(secret, 'acct|conn').ciphertext).not.toBe(sealed.ciphertext); // a fresh IV and data key each time
    expect(box.open(sealed, 'acct|conn')).toEqual(secret);
  });

  it('refuses tampered values, another row’s context and unknown keys', () => {
    const box = SecretBox.fromConfig(generateSecretKeys('a'));
    const sealed = box.seal(secret, 'acct|conn');
    expect(() => box.open(sealed, 'acct|other')).toThrow();
    const [v, iv, ct, tag] = sealed.ciphertext.split('.');
    const flipped = Buffer.from(ct, 'base64url');
    flipped[0] ^= 1;
    expect(() => box.open({ ...sealed, ciphertext: [v, iv, flipped.toString('base64url'), tag].join('.') }, 'acct|conn')).toThrow();
    expect(() => SecretBox.fromConfig(generateSecretKeys('z')).open(sealed, 'acct|conn')).toThrow(/no longer lists/);
  });

  it('rotation re-wraps the data key under the new first key; the old key is then unneeded', () => {
    const old = generateSecretKeys('old');
    const next = generateSecretKeys('new');
    const sealed = SecretBox.fromConfig(old).seal(secret, 'c');
    const rewrapped = SecretBox.fromConfig(`${next},${old}`).rewrap(sealed, 'c');
    expect(rewrapped.keyId).toBe('new');
    expect(rewrapped.ciphertext).toBe(sealed.ciphertext);
    expect(SecretBox.fromConfig(next).open(rewrapped, 'c')).toEqual(secret);
  });

  it('reads COCKPIT_SECRET_KEYS strictly, naming the entry but never the key', () => {
    expect(() => parseSecretKeys('')).toThrow(/at least one/);
    expect(() => parseSecretKeys('k:c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => parseSecretKeys(`${generateSecretKeys('k')},${generateSecretKeys('k')}`)).toThrow(/twice/);
    expect(() => parseSecretKeys(Buffer.alloc(32).toString('base64'))).toThrow(/key id/);
    expect(parseSecretKeys(`${generateSecretKeys('one')}, ${generateSecretKeys('two')}`).map((k) => k.id)).toEqual(['one', 'two']);
  });
});
