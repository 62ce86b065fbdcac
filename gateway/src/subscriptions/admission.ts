import type { Principal } from '@cockpit/kit/edge';
import type { EdgeLimiter } from '../rate-limit/types';
import { CLOSE } from './auth';

/** Platform principals (no account) share one count. */
const PLATFORM = '-';

export type AdmissionResult = { admitted: true; release(): void } | { admitted: false; code: number; reason: string };

/**
 * Which authenticated sockets may stay open: the bridge's own cap per account
 * (a ceiling whatever the plan), then the plan's connection limit when a
 * limiter is configured. Every admitted socket holds its slot and ticket until
 * `release()`, which frees both exactly once.
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
    const free = () => {
      const left = (this.open.get(key) ?? 1) - 1;
      if (left > 0) this.open.set(key, left);
      else this.open.delete(key);
    };
    let ticket: Awaited<ReturnType<EdgeLimiter['openConnection']>> | undefined;
    try {
      ticket = await this.limiter?.openConnection(p);
    } catch (e) {
      free();
      throw e;
    }
    if (ticket && !ticket.allowed) {
      free();
      return { admitted: false, code: CLOSE.tooMany, reason: `Your plan's connection limit is reached (${ticket.limit} open connections)` };
    }
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        free();
        ticket?.release();
      },
    };
  }
}
