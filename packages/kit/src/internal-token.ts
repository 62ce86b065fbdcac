import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { unauthorized } from './errors';
import type { Principal } from './principal';

/**
 * The gateway's signed statement of who is calling: EdDSA, ≤ 60 s, audience = the
 * subgraph's name. Subgraphs refuse every request without a valid one.
 */
export const INTERNAL_TOKEN_HEADER = 'cockpit-internal-token';
const ISSUER = 'cockpit-gateway';
const TTL_SECONDS = 60;

export interface InternalKeys {
  privateKey?: KeyObject;
  publicKey: KeyObject;
}

export function generateInternalKeys(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export function loadPrivateKey(pem: string): KeyObject {
  return createPrivateKey(pem);
}
export function loadPublicKey(pem: string): KeyObject {
  return createPublicKey(pem);
}

export async function signInternalToken(key: KeyObject, audience: string, principal: Principal): Promise<string> {
  return new SignJWT({ p: principal })
    .setProtectedHeader({ alg: 'EdDSA' })
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(`${TTL_SECONDS}s`)
    .sign(key);
}

/** Verifies signature, issuer, audience and expiry; returns the principal it carries. */
export async function verifyInternalToken(key: KeyObject, audience: string, token: string | undefined): Promise<Principal> {
  if (!token) throw unauthorized('Missing internal token: call this service through the gateway');
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER,
      audience,
      algorithms: ['EdDSA'],
      maxTokenAge: `${TTL_SECONDS + 5}s`,
      clockTolerance: 5,
    });
    const p = payload.p as Principal | undefined;
    if (!p || typeof p.subject !== 'string' || !Array.isArray(p.roles)) throw unauthorized('Malformed internal token');
    return p;
  } catch (e) {
    if (e instanceof joseErrors.JOSEError) throw unauthorized('Invalid internal token');
    throw e;
  }
}
