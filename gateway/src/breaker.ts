/** When a subgraph's breaker opens and how long it stays open. */
export interface BreakerConfig {
  /**
   * Consecutive failed calls (unreachable, connection reset, HTTP 5xx) that open the breaker; default 5. A call
   * that times out does not count: a subgraph slowed by a burst of one account's work is not a dead one, and
   * opening its breaker would fail every account's fields for the cooldown.
   */
  failures: number;
  /** How long an open breaker fails calls at once before one probe call is let through; default 5,000 ms. */
  cooldownMs: number;
}

export const DEFAULT_BREAKER: BreakerConfig = { failures: 5, cooldownMs: 5_000 };

export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * One subgraph's circuit breaker. Closed: every call goes through and consecutive failures are counted.
 * Open (after `failures` in a row): calls are refused at once, so a dead subgraph costs its fields an
 * immediate UPSTREAM_ERROR instead of a connection attempt or a timeout each. After `cooldownMs` one call
 * is let through as a probe (half-open) while the others are still refused: its success closes the
 * breaker, its failure opens it for another cooldown.
 */
export class CircuitBreaker {
  private failed = 0;
  private openUntil = 0;
  private probing = false;

  constructor(
    private readonly config: BreakerConfig = DEFAULT_BREAKER,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): BreakerState {
    if (this.failed < this.config.failures) return 'closed';
    return this.probing || this.now() >= this.openUntil ? 'half-open' : 'open';
  }

  /** Whether a call may go out now; a true answer in the half-open state makes this call the probe. */
  admit(): boolean {
    if (this.failed < this.config.failures) return true;
    if (this.probing || this.now() < this.openUntil) return false;
    this.probing = true;
    return true;
  }

  succeeded(): void {
    this.failed = 0;
    this.probing = false;
  }

  /** A call that ended without telling whether the subgraph is up (a timeout): only frees the probe's place. */
  inconclusive(): void {
    this.probing = false;
  }

  failedCall(): void {
    this.failed++;
    this.probing = false;
    if (this.failed >= this.config.failures) this.openUntil = this.now() + this.config.cooldownMs;
  }
}
