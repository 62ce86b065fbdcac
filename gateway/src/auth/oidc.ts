import { createRemoteJWKSet, jwtVerify, errors as joseErrors, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { tokenExpired, unauthorized } from '@cockpit/kit';
import type { IssuerConfig } from '../config';

const MAX_TOKEN_BYTES = 16 * 1024;
const CLOCK_TOLERANCE_S = 5;

/**
 * Verifies OIDC JWTs against the configured issuers: discovery once, JWKS cached
 * and refetched on an unknown kid (with a cooldown so random kids can't hammer
 * the IdP), algorithm allow-list, issuer, audience, required exp.
 */
export class OidcVerifier {
  private readonly keys = new Map<string, Promise<JWTVerifyGetKey>>();
  constructor(private readonly issuers: IssuerConfig[]) {}

  get enabled(): boolean {
    return this.issuers.length > 0;
  }

  async verify(token: string): Promise<JWTPayload> {
    if (token.length > MAX_TOKEN_BYTES) throw unauthorized('Token too large');
    const iss = peekIssuer(token);
    const cfg = this.issuers.find((i) => i.issuer === iss);
    if (!cfg) throw unauthorized('Token issuer is not trusted');
    try {
      const key = cfg.publicKey ?? (await this.remoteKeys(cfg));
      const { payload } = await jwtVerify(token, key as never, {
        issuer: cfg.issuer,
        audience: cfg.audience,
        algorithms: cfg.algorithms,
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['exp', 'sub'],
      });
      return payload;
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw tokenExpired();
      if (e instanceof joseErrors.JOSEError) throw unauthorized('Invalid token');
      throw e;
    }
  }

  private remoteKeys(cfg: IssuerConfig): Promise<JWTVerifyGetKey> {
    let p = this.keys.get(cfg.issuer);
    if (!p) {
      p = discoverJwks(cfg.issuer).then((uri) =>
        createRemoteJWKSet(new URL(uri), { timeoutDuration: 5000, cooldownDuration: 10_000, cacheMaxAge: 10 * 60_000 }),
      );
      p.catch(() => this.keys.delete(cfg.issuer)); // retry discovery on the next request
      this.keys.set(cfg.issuer, p);
    }
    return p;
  }
}

async function discoverJwks(issuer: string): Promise<string> {
  const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw unauthorized('Identity provider discovery failed');
  const doc = (await res.json()) as { jwks_uri?: string; issuer?: string };
  if (!doc.jwks_uri || doc.issuer !== issuer) throw unauthorized('Identity provider discovery document is invalid');
  return doc.jwks_uri;
}

function peekIssuer(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) throw unauthorized('Malformed token');
  try {
    return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')).iss;
  } catch {
    throw unauthorized('Malformed token');
  }
}
