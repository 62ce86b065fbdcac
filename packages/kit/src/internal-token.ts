import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { unauthorized } from './errors';
import type { Principal } from './principal';

/**
 * A signed statement of who is calling: EdDSA, ≤ 60 s, audience = the service
 * called, issuer = the service that signed it with its own key. The gateway's
 * key speaks for users, API keys and agents; any other service's key only for
 * that service itself. Subgraphs refuse every request without a valid one.
 */
export const INTERNAL_TOKEN_HEADER = 'cockpit-internal-token';
/** The issuer (and service name) of the gateway: the one key whose tokens may carry a non-service principal. */
export const GATEWAY_ISSUER = 'gateway';
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

/** Signs as `issuer` (the signing service's name; the gateway by default). */
export async function signInternalToken(key: KeyObject, audience: string, principal: Principal, issuer = GATEWAY_ISSUER): Promise<string> {
  return new SignJWT({ p: principal })
    .setProtectedHeader({ alg: 'EdDSA' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(`${TTL_SECONDS}s`)
    .sign(key);
}

/**
 * The gateway's internal tokens, each reused for half its lifetime: one
 * signature per (subgraph, principal) every 30 s instead of one per subgraph
 * call. The request id is not part of the token (a reused token names the
 * request that first asked for it); it travels in `x-request-id`, which the
 * receiving service reads (`verifyInternalCall` callers).
 */
export class InternalTokenCache {
  private readonly tokens = new Map<string, { token: string; renewAt: number }>();

  constructor(
    private readonly key: KeyObject,
    private readonly maxEntries = 10_000,
  ) {}

  async token(audience: string, principal: Principal): Promise<string> {
    const key = `${audience}\n${principalKey(principal)}`;
    const now = Date.now();
    const hit = this.tokens.get(key);
    if (hit && hit.renewAt > now) return hit.token;
    const token = await signInternalToken(this.key, audience, principal);
    if (this.tokens.size >= this.maxEntries) this.tokens.clear(); // a flood of distinct principals starts the cache over
    this.tokens.set(key, { token, renewAt: now + (TTL_SECONDS * 1000) / 2 });
    return token;
  }
}

/**
 * Everything a principal states (any field it will ever have) except the request it came with,
 * lists in a canonical order: two principals with equal keys are answered alike. The one
 * definition of "same caller" for internal tokens, in-flight deduplication, subscriber groups and
 * the subgraphs' answer cache.
 */
export function principalKey(p: Principal): string {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) if (k !== 'requestId') fields[k] = Array.isArray(v) ? [...(v as string[])].sort() : v;
  return canonicalJson(fields);
}

/** The public keys a service trusts: the gateway's, and those of the services that may call its internal routes. */
export interface TrustedKeys {
  gateway: KeyObject;
  services?: Readonly<Record<string, KeyObject | undefined>>;
}

/** A verified internal token: who it speaks for, and which service signed it. */
export interface InternalCall {
  principal: Principal;
  issuer: string;
  /** The service that is calling, when the principal is that service's own (null for users, keys, agents, the master key). */
  caller: string | null;
}

/**
 * Verifies a token signed by the gateway or by a trusted service. A service's
 * key speaks only for that service: its token must carry the SERVICE principal
 * named after it, so a leaked service key cannot pose as a user or super admin.
 */
export async function verifyInternalCall(keys: TrustedKeys, audience: string, token: string | undefined): Promise<InternalCall> {
  if (!token) throw unauthorized('Missing internal token: call this service through the gateway');
  const issuer = unverifiedIssuer(token);
  const services = keys.services ?? {};
  const key = issuer === GATEWAY_ISSUER ? keys.gateway : issuer && Object.hasOwn(services, issuer) ? services[issuer] : undefined;
  if (!issuer || !key) throw unauthorized('Invalid internal token');
  const principal = await verifyInternalToken(key, audience, token, issuer);
  if (issuer !== GATEWAY_ISSUER) {
    if (principal.kind !== 'SERVICE' || principal.subject !== issuer) throw unauthorized('A service key speaks only for its own service');
    return { principal, issuer, caller: issuer };
  }
  return { principal, issuer, caller: principal.kind === 'SERVICE' && principal.subject === GATEWAY_ISSUER ? GATEWAY_ISSUER : null };
}

/**
 * `verifyInternalCall` for one service, remembering each token it accepted
 * until the token expires: the gateway reuses a token for many calls
 * (`InternalTokenCache`), so most calls cost a map lookup, not a signature check.
 */
export class InternalCallVerifier {
  private readonly accepted = new Map<string, { call: InternalCall; expiresAt: number }>();

  constructor(
    private readonly keys: TrustedKeys,
    private readonly audience: string,
    private readonly maxEntries = 10_000,
  ) {}

  async verify(token: string | undefined): Promise<InternalCall> {
    const now = Date.now();
    const hit = token ? this.accepted.get(token) : undefined;
    if (hit && hit.expiresAt > now) return hit.call;
    const call = await verifyInternalCall(this.keys, this.audience, token);
    const exp = expiryOf(token!);
    if (exp) {
      if (this.accepted.size >= this.maxEntries) this.accepted.clear();
      this.accepted.set(token!, { call, expiresAt: Math.min(exp, now + (TTL_SECONDS + 5) * 1000) });
    }
    return call;
  }
}

/** A verified token's `exp` in ms (null when absent). */
function expiryOf(token: string): number | null {
  try {
    const exp = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'))?.exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

function unverifiedIssuer(token: string): string | null {
  try {
    const iss = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'))?.iss;
    return typeof iss === 'string' ? iss : null;
  } catch {
    return null;
  }
}

/** Verifies signature, issuer (the gateway unless named), audience and expiry; returns the principal it carries. */
export async function verifyInternalToken(
  key: KeyObject,
  audience: string,
  token: string | undefined,
  issuer = GATEWAY_ISSUER,
): Promise<Principal> {
  if (!token) throw unauthorized('Missing internal token: call this service through the gateway');
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer,
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
