import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateInternalKeys, loadPrivateKey, loadPublicKey } from '@cockpit/kit/edge';

/** `$COCKPIT_HOME` (default `.cockpit`): keys, the embedded database and the bootstrap admin key. */
export function cockpitHome(env = process.env): string {
  const home = resolve(env.COCKPIT_HOME || '.cockpit');
  mkdirSync(home, { recursive: true, mode: 0o700 });
  return home;
}

/** Writes a secret file readable by its owner only (0600), whatever the umask. */
export function writeSecret(path: string, content: string) {
  writeFileSync(path, content, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** Whether the home already holds the key pair `name` (`cockpit up` creates them on first start). */
export function hasKeyPair(home: string, name: string): boolean {
  return existsSync(join(home, `${name}.key`)) && existsSync(join(home, `${name}.pub`));
}

/** An Ed25519 key pair kept under the home, generated on first use. */
export function keyPair(home: string, name: string) {
  const priv = join(home, `${name}.key`);
  const pub = join(home, `${name}.pub`);
  if (!hasKeyPair(home, name)) {
    const k = generateInternalKeys();
    writeSecret(priv, k.privateKeyPem);
    writeFileSync(pub, k.publicKeyPem, { mode: 0o644 });
  }
  return {
    privateKey: loadPrivateKey(readFileSync(priv, 'utf8')),
    publicKey: loadPublicKey(readFileSync(pub, 'utf8')),
    privatePath: priv,
    publicPath: pub,
  };
}

export const adminKeyPath = (home: string) => join(home, 'admin-key');

export const homeSecretKeysPath = (home: string) => join(home, 'secret-keys');

/**
 * The key-encryption keys of connection secrets when COCKPIT_SECRET_KEYS is not set: one key
 * generated on first start and kept beside the stack's other keys (`secret-keys`, 0600).
 */
export function homeSecretKeys(home: string): string {
  const file = homeSecretKeysPath(home);
  if (!existsSync(file)) writeSecret(file, `home-${new Date().toISOString().slice(0, 10)}:${randomBytes(32).toString('base64')}\n`);
  return readFileSync(file, 'utf8').trim();
}
