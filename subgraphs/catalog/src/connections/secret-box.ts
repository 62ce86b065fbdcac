import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A key-encryption key from configuration (`COCKPIT_SECRET_KEYS`). */
export interface SecretKey {
  id: string;
  key: Buffer;
}

/** What is stored for one sealed secret: the data under a fresh data key, the data key under the KEK `keyId`. */
export interface SealedSecret {
  ciphertext: string;
  dek: string;
  keyId: string;
}

const KID_RE = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * `<kid>:<base64 of 32 bytes>[,…]`: the first key seals, every key opens (rotation keeps the old
 * ones listed until `rotateConnectionSecrets` has re-sealed everything under the first). Throws a
 * message naming the entry at fault, never the key material.
 */
export function parseSecretKeys(raw: string): SecretKey[] {
  const entries = raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (!entries.length) throw new Error('COCKPIT_SECRET_KEYS: at least one key is required (<kid>:<base64 of 32 bytes>)');
  const seen = new Set<string>();
  return entries.map((e, n) => {
    const at = e.indexOf(':');
    const id = at > 0 ? e.slice(0, at) : '';
    const key = Buffer.from(at > 0 ? e.slice(at + 1) : '', 'base64');
    if (!KID_RE.test(id)) throw new Error(`COCKPIT_SECRET_KEYS: entry ${n + 1} needs a key id (letters, digits, ".", "_", "-") before ":"`);
    if (key.length !== 32) throw new Error(`COCKPIT_SECRET_KEYS: key ${id} must be 32 bytes, base64-encoded`);
    if (seen.has(id)) throw new Error(`COCKPIT_SECRET_KEYS: key id ${id} is listed twice`);
    seen.add(id);
    return { id, key };
  });
}

/** A new configuration value with one random key (development stacks, `cockpit up`'s home). */
export function generateSecretKeys(id = `dev-${new Date().toISOString().slice(0, 10)}`): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

const b64 = (b: Buffer) => b.toString('base64url');

function gcmSeal(key: Buffer, plain: Buffer, aad: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([c.update(plain), c.final()]);
  return `v1.${b64(iv)}.${b64(ct)}.${b64(c.getAuthTag())}`;
}

function gcmOpen(key: Buffer, sealed: string, aad: string): Buffer {
  const [v, iv, ct, tag] = sealed.split('.');
  if (v !== 'v1' || !iv || ct === undefined || !tag) throw new Error('malformed sealed value');
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  d.setAAD(Buffer.from(aad));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]);
}

/**
 * Envelope encryption with AES-256-GCM (authenticated): each secret gets a fresh data key, which the
 * first KEK wraps. Both layers bind `context` (account and connection id) as additional data, so a
 * sealed value copied to another row does not open. Rotation re-wraps the data key only.
 */
export class SecretBox {
  readonly primary: SecretKey;
  private readonly byId: Map<string, SecretKey>;

  constructor(keys: SecretKey[]) {
    if (!keys.length) throw new Error('SecretBox needs at least one key');
    this.primary = keys[0];
    this.byId = new Map(keys.map((k) => [k.id, k]));
  }

  static fromConfig(raw: string): SecretBox {
    return new SecretBox(parseSecretKeys(raw));
  }

  seal(value: Record<string, string>, context: string): SealedSecret {
    const dek = randomBytes(32);
    try {
      return {
        ciphertext: gcmSeal(dek, Buffer.from(JSON.stringify(value)), `data|${context}`),
        dek: gcmSeal(this.primary.key, dek, `dek|${this.primary.id}|${context}`),
        keyId: this.primary.id,
      };
    } finally {
      dek.fill(0);
    }
  }

  open(sealed: SealedSecret, context: string): Record<string, string> {
    const dek = this.unwrap(sealed, context);
    try {
      return JSON.parse(gcmOpen(dek, sealed.ciphertext, `data|${context}`).toString('utf8')) as Record<string, string>;
    } finally {
      dek.fill(0);
    }
  }

  /** The same secret with its data key wrapped under the first KEK (the ciphertext is untouched). */
  rewrap(sealed: SealedSecret, context: string): SealedSecret {
    const dek = this.unwrap(sealed, context);
    try {
      return {
        ciphertext: sealed.ciphertext,
        dek: gcmSeal(this.primary.key, dek, `dek|${this.primary.id}|${context}`),
        keyId: this.primary.id,
      };
    } finally {
      dek.fill(0);
    }
  }

  private unwrap(sealed: SealedSecret, context: string): Buffer {
    const kek = this.byId.get(sealed.keyId);
    if (!kek) throw new UnlistedSecretKeyError(sealed.keyId);
    return gcmOpen(kek.key, sealed.dek, `dek|${sealed.keyId}|${context}`);
  }
}

/** A stored secret sealed under a key the configured keys do not list (dropped too early, or not the stack's keys). */
export class UnlistedSecretKeyError extends Error {
  constructor(readonly keyId: string) {
    super(`secret sealed under key ${keyId}, which COCKPIT_SECRET_KEYS no longer lists`);
    this.name = 'UnlistedSecretKeyError';
  }
}
