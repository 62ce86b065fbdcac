import type { Principal } from '@cockpit/kit/edge';
import type { EdgeLimiter } from '../rate-limit/types';
import { CLOSE } from './auth';

/** Platform principals (no account) share one count. */
const PLATFORM = '-';

type Ticket = Awaited<ReturnType<EdgeLimiter['openConnection']>>;

/**
 * An admitted socket's place: its account's count and the plan limiter's ticket,
 * both freed by `release()`, once. An object of its own rather than a closure:
 * every open socket holds one.
 */
export class Slot {
  private released = false;

  constructor(
    private readonly admission: ConnectionAdmission,
    private readonly key: string,
    private readonly ticket: Ticket | undefined,
  ) {}

  release() {
    if (this.released) return;
    this.released = true;
    this.admission.free(this.key);
    this.ticket?.release();
  }
}

export type AdmissionResult = { admitted: true; slot: Slot } | { admitted: false; code: number; reason: string };

/**
 * Which authenticated sockets may stay open: the bridge's own cap per account
 * (a ceiling whatever the plan), then the plan's connection limit when a
 * limiter is configured. Every admitted socket holds its slot and ticket until
 * `slot.release()`, which frees both exactly once.
 */
export class ConnectionAdmission {
  private readonly open = new Map<string, number>();

  constructor(
    private readonly maxPerAccount: number,
    private readonly limiter?: EdgeLimiter,
  ) {}

  /** Open sockets counted for an account (null: platform principals). */
  count(accountId: string | null): number {
    return this.open.get(accountId ?? PLATFORM) ?? 0;
  }

  async admit(p: Principal): Promise<AdmissionResult> {
    const key = p.accountId ?? PLATFORM;
    const n = this.open.get(key) ?? 0;
    if (n >= this.maxPerAccount) return { admitted: false, code: CLOSE.tooMany, reason: 'Too many connections for this account' };
    // taken before the limiter answers, so concurrent inits cannot all pass the same count
    this.open.set(key, n + 1);
    let ticket: Ticket | undefined;
    try {
      ticket = await this.limiter?.openConnection(p);
    } catch (e) {
      this.free(key);
      throw e;
    }
    if (ticket && !ticket.allowed) {
      this.free(key);
      return { admitted: false, code: CLOSE.tooMany, reason: `Your plan's connection limit is reached (${ticket.limit} open connections)` };
    }
    return { admitted: true, slot: new Slot(this, key, ticket) };
  }

  /** One socket of the account (its count's key) is gone. */
  free(key: string) {
    const left = (this.open.get(key) ?? 1) - 1;
    if (left > 0) this.open.set(key, left);
    else this.open.delete(key);
  }
}
