import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';

/*
 * The Ed25519 side of ID9: key and signature encodings and the signed handshake
 * message. The session JWT it earns is the kit's (signAgentSession), which the
 * gateway verifies with the same code.
 */

export const RUNTIME_ID_PREFIX = 'ed25519:';
export const CHALLENGE_TTL_SECONDS = 60;

/**
 * Decodes standard or URL-safe base64, padded or not, of exactly `bytes` bytes;
 * null for anything else, including encodings with stray trailing bits (so one
 * key has one spelling and the unique index really is unique).
 */
export function decodeBase64(s: string, bytes: number): Buffer | null {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(s)) return null;
  const unpadded = s.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  const buf = Buffer.from(unpadded, 'base64url');
  if (buf.length !== bytes || buf.toString('base64url') !== unpadded) return null;
  return buf;
}

/** A 32-byte Ed25519 public key as canonical base64, from base64/base64url with or without the `ed25519:` prefix; null if invalid. */
export function parsePublicKey(input: string): string | null {
  const raw = decodeBase64(input.trim().replace(/^ed25519:/i, ''), 32);
  if (!raw) return null;
  try {
    publicKeyObject(raw.toString('base64'));
  } catch {
    return null; // not a point OpenSSL accepts
  }
  return raw.toString('base64');
}

export function publicKeyObject(base64: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(base64, 'base64').toString('base64url') }, format: 'jwk' });
}

/** 32 random bytes, base64url: the nonce an agent signs. */
export const newNonce = () => randomBytes(32).toString('base64url');

/** What the agent signs (UTF-8): binding the agent id stops a signature for one agent being replayed for another. */
export const handshakeMessage = (agentId: string, nonce: string) => `cockpit-agent-handshake:${agentId}:${nonce}`;

/** Does `signature` (64 bytes, base64 or base64url) verify over the handshake message with the agent's key? */
export function verifyHandshake(publicKey: string, agentId: string, nonce: string, signature: string): boolean {
  const sig = decodeBase64(signature.trim(), 64);
  if (!sig) return false;
  try {
    return verify(null, Buffer.from(handshakeMessage(agentId, nonce), 'utf8'), publicKeyObject(publicKey), sig);
  } catch {
    return false;
  }
}
