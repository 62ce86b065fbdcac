import { createHash, randomBytes } from 'node:crypto';

export const SECRET_PREFIX = 'sk-cap-';
/** Characters of the secret kept for display: `sk-cap-` and five more, far too few to guess from. */
export const DISPLAY_PREFIX_LENGTH = 12;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32, lowercase, without padding. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export const hashSecret = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

/** A new `sk-cap-<52 base32 chars>` secret (256 random bits) with what is stored of it. */
export function newSecret(): { secret: string; prefix: string; hash: string } {
  const secret = SECRET_PREFIX + base32(randomBytes(32));
  return { secret, prefix: secret.slice(0, DISPLAY_PREFIX_LENGTH), hash: hashSecret(secret) };
}
