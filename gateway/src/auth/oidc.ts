import { createLocalJWKSet, jwtVerify, errors as joseErrors, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { CockpitError, tokenExpired, unauthorized, type Logger } from '@cockpit/kit/edge';
import { DEFAULT_ALGORITHMS, DEFAULT_JWKS_COOLDOWN_SECONDS, type IssuerConfig } from '../config';
import type { SsoIssuer, SsoIssuerRegistry } from './sso-issuers';

/** Well under Node's 16 KiB header limit, so an oversize token gets our 401 rather than a 431. */
export const MAX_TOKEN_BYTES = 8 * 1024;
const CLOCK_TOLERANCE_S = 5;
const FETCH_TIMEOUT_MS = 5000;
/** Cached keys are refreshed in the background after this; a failed refresh keeps them (IdP outage). */
const JWKS_MAX_AGE_MS = 10 * 60_000;
/** Symmetric and unsigned algorithms can never verify against a published key: refused whatever the config says. */
const FORBIDDEN_ALG = /^(none|HS\d+)$/i;

/** A verified token and, for a per-account SSO issuer, the account setting that trusted it. */
export interface VerifiedToken {
  payload: JWTPayload;
  sso?: SsoIssuer;
}

/**
 * Verifies OIDC JWTs: the deployment's issuers (config) first, then the issuers
 * accounts configured for SSO (fetched from identity). Algorithm allow-list,
 * issuer, audience, required `exp` and `sub`, 5 s clock tolerance, a size cap.
 */
export class OidcVerifier {
  private readonly keys = new Map<string, IssuerKeys>();
  private readonly cooldownMs: number;
  private readonly sso?: SsoIssuerRegistry;
  private readonly log?: Logger;

  constructor(
    private readonly issuers: IssuerConfig[],
    opts: { jwksCooldownSeconds?: number; sso?: SsoIssuerRegistry; log?: Logger } = {},
  ) {
    this.cooldownMs = (opts.jwksCooldownSeconds ?? DEFAULT_JWKS_COOLDOWN_SECONDS) * 1000;
    this.sso = opts.sso;
    this.log = opts.log;
    for (const i of issuers) {
      const bad = (i.algorithms ?? []).filter((a) => FORBIDDEN_ALG.test(a));
      if (bad.length) throw new Error(`OIDC issuer ${i.issuer}: algorithm(s) ${bad.join(', ')} may not be allowed`);
    }
  }

  get enabled(): boolean {
    return this.issuers.length > 0 || this.sso !== undefined;
  }

  async verify(token: string): Promise<VerifiedToken> {
    if (Buffer.byteLength(token, 'utf8') > MAX_TOKEN_BYTES) throw unauthorized('Token too large');
    const iss = peekIssuer(token);
    if (typeof iss !== 'string' || !iss) throw unauthorized('Token has no issuer');
    // the deployment's own issuers win: an account cannot capture one by naming it in its SSO settings
    const cfg = this.issuers.find((i) => i.issuer === iss);
    if (cfg) return { payload: await this.check(token, cfg) };
    const sso = await this.sso?.find(iss);
    if (!sso) throw unauthorized('Token issuer is not trusted');
    const payload = await this.check(token, { issuer: sso.issuer, audience: sso.audience ?? undefined, algorithms: DEFAULT_ALGORITHMS });
    return { payload, sso };
  }

  private async check(token: string, cfg: IssuerConfig): Promise<JWTPayload> {
    try {
      const key = cfg.publicKey ?? this.keysOf(cfg.issuer).getKey;
      const { payload } = await jwtVerify(token, key as never, {
        issuer: cfg.issuer,
        audience: cfg.audience,
        algorithms: cfg.algorithms ?? DEFAULT_ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['exp', 'sub'],
      });
      return payload;
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw tokenExpired();
      if (e instanceof joseErrors.JOSEError) throw unauthorized('Invalid token');
      if (e instanceof CockpitError) throw e;
      this.log?.warn({ err: e, issuer: cfg.issuer }, 'token verification failed');
      throw unauthorized('Invalid token');
    }
  }

  private keysOf(issuer: string): IssuerKeys {
    let k = this.keys.get(issuer);
    if (!k) {
      k = new IssuerKeys(issuer, this.cooldownMs, this.log);
      this.keys.set(issuer, k);
    }
    return k;
  }
}

/**
 * One issuer's discovery document and JWKS, fetched with a timeout. An unknown
 * `kid` may trigger a refetch, but at most one per cooldown (and concurrent ones
 * share it), so a flood of random kids costs the IdP one request, not one each,
 * while a rotated key is picked up by the first token after the cooldown. Keys
 * are kept until a refetch succeeds: tokens keep verifying through an IdP outage.
 */
class IssuerKeys {
  private jwksUri?: string;
  private jwks?: JWTVerifyGetKey;
  private fetchedAt = 0;
  private lastAttempt = -Infinity;
  private inflight?: Promise<void>;

  constructor(
    private readonly issuer: string,
    private readonly cooldownMs: number,
    private readonly log?: Logger,
  ) {}

  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    if (!this.jwks) {
      await this.refreshIfAllowed();
      if (!this.jwks) throw unauthorized('Identity provider is unavailable');
    } else if (Date.now() - this.fetchedAt > JWKS_MAX_AGE_MS) {
      void this.refreshIfAllowed(); // in the background: the cached keys answer this request
    }
    try {
      return await this.jwks(header, token);
    } catch (e) {
      if (!(e instanceof joseErrors.JWKSNoMatchingKey)) throw e;
      await this.refreshIfAllowed();
      return this.jwks(header, token);
    }
  };

  /** Joins a refetch in flight, starts one if the cooldown has passed, else does nothing. Never throws. */
  private async refreshIfAllowed(): Promise<void> {
    if (!this.inflight && Date.now() - this.lastAttempt >= this.cooldownMs) {
      this.lastAttempt = Date.now();
      this.inflight = this.refresh()
        .catch((err) => this.log?.warn({ err, issuer: this.issuer }, 'JWKS refresh failed; keeping the cached keys'))
        .finally(() => (this.inflight = undefined));
    }
    await this.inflight;
  }

  private async refresh(): Promise<void> {
    this.jwksUri ??= await discoverJwks(this.issuer);
    const res = await fetch(this.jwksUri, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`JWKS answered ${res.status}`);
    const body = (await res.json()) as { keys?: unknown };
    if (!body || !Array.isArray(body.keys)) throw new Error('JWKS has no keys array');
    this.jwks = createLocalJWKSet(body as never);
    this.fetchedAt = Date.now();
  }
}

async function discoverJwks(issuer: string): Promise<string> {
  const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`discovery answered ${res.status}`);
  const doc = (await res.json()) as { jwks_uri?: string; issuer?: string };
  if (!doc.jwks_uri || doc.issuer !== issuer) throw new Error('discovery document is invalid');
  return doc.jwks_uri;
}

/** The unverified `iss`, only to pick the keys that will verify it. */
export function peekIssuer(token: string): unknown {
  const parts = token.split('.');
  if (parts.length !== 3) throw unauthorized('Malformed token');
  try {
    return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'))?.iss;
  } catch {
    throw unauthorized('Malformed token');
  }
}
