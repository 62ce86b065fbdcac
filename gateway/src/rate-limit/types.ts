import type { Principal } from '@cockpit/kit/edge';

/** The answer of a rate-limit check, with what the `X-RateLimit-*` headers and `Retry-After` report. */
export interface RateLimitVerdict {
  allowed: boolean;
  /** The bucket's size for this window (requests per minute of the account's plan, or of the key). */
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
  /** Seconds a refused client should wait; 0 when allowed. */
  retryAfterSeconds: number;
}

/** A WebSocket connection admitted against the account's connection quota; `release()` once, on close. */
export interface ConnectionTicket {
  allowed: boolean;
  /** The plan's connection limit (Infinity when unlimited). */
  limit: number;
  release(): void;
}

/**
 * What the HTTP edge and the graphql-ws bridge ask before doing work for a principal:
 * one request (an HTTP operation or one graphql-ws operation), or one more open socket.
 */
export interface EdgeLimiter {
  request(principal: Principal): Promise<RateLimitVerdict>;
  openConnection(principal: Principal): Promise<ConnectionTicket>;
  close?(): Promise<void>;
}
