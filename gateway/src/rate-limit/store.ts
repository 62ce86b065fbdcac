/** One bucket to count a hit in: `key` names it, `limit` is its size per window. */
export interface Bucket {
  key: string;
  limit: number;
}

export interface BucketCount {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends. */
  resetMs: number;
}

/**
 * Where the counters live. A window starts at a bucket's first hit and lasts
 * `windowMs` (not aligned to the clock, so a burst is never split across two
 * windows at a minute boundary); each bucket's count is incremented atomically.
 */
export interface CounterStore {
  hit(buckets: Bucket[], windowMs: number): Promise<BucketCount[]>;
  /** Takes one of `limit` slots under `key` for the connection `id`; false when all are taken. */
  acquire(key: string, limit: number, id: string): Promise<boolean>;
  release(key: string, id: string): void;
  close(): Promise<void>;
}

/** In-process counters: the embedded default, no server, no I/O on the hot path. */
export class MemoryStore implements CounterStore {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();
  private readonly slots = new Map<string, Set<string>>();
  private lastSweep = Date.now();

  async hit(buckets: Bucket[], windowMs: number): Promise<BucketCount[]> {
    return this.hitNow(buckets, windowMs);
  }

  hitNow(buckets: Bucket[], windowMs: number): BucketCount[] {
    const now = Date.now();
    if (now - this.lastSweep > windowMs) this.sweep(now);
    return buckets.map(({ key }) => {
      let w = this.windows.get(key);
      if (!w || w.endsAt <= now) this.windows.set(key, (w = { count: 0, endsAt: now + windowMs }));
      w.count++;
      return { count: w.count, resetMs: w.endsAt - now };
    });
  }

  async acquire(key: string, limit: number, id: string): Promise<boolean> {
    return this.acquireNow(key, limit, id);
  }

  acquireNow(key: string, limit: number, id: string): boolean {
    let held = this.slots.get(key);
    if (!held) this.slots.set(key, (held = new Set()));
    if (held.size >= limit) return false;
    held.add(id);
    return true;
  }

  release(key: string, id: string): void {
    const held = this.slots.get(key);
    if (held?.delete(id) && !held.size) this.slots.delete(key);
  }

  async close(): Promise<void> {}

  /** Ended windows are dropped at most once per window, so idle credentials cost no memory. */
  private sweep(now: number) {
    this.lastSweep = now;
    for (const [k, w] of this.windows) if (w.endsAt <= now) this.windows.delete(k);
  }
}
