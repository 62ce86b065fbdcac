import type { ServerResponse } from 'node:http';
import { sendJson, type Principal } from '@cockpit/kit/edge';
import type { GatewayLimiter } from './limiter';
import type { RateLimitVerdict } from './types';

/**
 * The HTTP edge's admission, after authentication and before Apollo reads the
 * body: a cap on the credential's requests in flight on this replica (checked
 * first: it costs nothing), then the per-minute buckets. Sets the
 * `X-RateLimit-*` headers on every limited answer; refuses with 429
 * RATE_LIMITED and `Retry-After`. Returns false when it answered.
 */
export class HttpAdmission {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly limiter: GatewayLimiter) {}

  async admit(principal: Principal, res: ServerResponse, requestId: string): Promise<boolean> {
    const credential = this.limiter.credentialOf(principal);
    if (credential === null) return true;
    const busy = this.inFlight.get(credential) ?? 0;
    if (busy >= this.limiter.maxInFlight) {
      res.setHeader('retry-after', '1');
      refuse(res, requestId, `Too many concurrent requests: at most ${this.limiter.maxInFlight} in flight per credential`, 1);
      return false;
    }
    this.inFlight.set(credential, busy + 1);
    let done = false;
    const release = () => {
      if (done) return;
      done = true;
      const n = (this.inFlight.get(credential) ?? 1) - 1;
      if (n > 0) this.inFlight.set(credential, n);
      else this.inFlight.delete(credential);
    };
    // 'close' fires for a finished answer and for a client that went away alike
    res.once('close', release);
    let verdict: RateLimitVerdict;
    try {
      verdict = await this.limiter.request(principal);
    } catch (err) {
      release();
      throw err;
    }
    if (verdict.limit !== Infinity) setRateLimitHeaders(res, verdict);
    if (verdict.allowed) return true;
    release();
    res.setHeader('retry-after', String(verdict.retryAfterSeconds));
    refuse(
      res,
      requestId,
      `Rate limit exceeded: ${verdict.limit} requests per minute; retry in ${verdict.retryAfterSeconds} s`,
      verdict.retryAfterSeconds,
    );
    return false;
  }

  /** Requests in flight for a credential key (tests and diagnostics). */
  inFlightOf(credential: string): number {
    return this.inFlight.get(credential) ?? 0;
  }
}

/** `X-RateLimit-Reset` is the window's end as Unix seconds (GW4's convention), not a delay. */
export function setRateLimitHeaders(res: ServerResponse, v: RateLimitVerdict) {
  res.setHeader('x-ratelimit-limit', String(v.limit));
  res.setHeader('x-ratelimit-remaining', String(v.remaining));
  res.setHeader('x-ratelimit-reset', String(Math.ceil(Date.now() / 1000) + v.resetSeconds));
}

function refuse(res: ServerResponse, requestId: string, message: string, retryAfterSeconds: number) {
  sendJson(res, 429, { errors: [{ message, extensions: { code: 'RATE_LIMITED', retryAfterSeconds, requestId } }] });
}
