/**
 * A TTL cache in front of an identity lookup: concurrent misses for one key share
 * one lookup, and an answer that was in flight across `clear()` (a revocation this
 * gateway served) is returned to its callers but not kept. With `staleMs`, an entry
 * older than the TTL still answers while the lookup fails, up to that age.
 */
export class LookupCache<V> {
  private readonly entries = new Map<string, { at: number; value: V }>();
  private readonly inflight = new Map<string, Promise<V>>();
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly load: (key: string) => Promise<V>,
    private readonly staleMs = 0,
  ) {}

  async get(key: string): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    let pending = this.inflight.get(key);
    if (!pending) {
      const started: Promise<V> = this.fetch(key).finally(() => {
        if (this.inflight.get(key) === started) this.inflight.delete(key);
      });
      this.inflight.set(key, (pending = started));
    }
    try {
      return await pending;
    } catch (err) {
      if (hit && Date.now() - hit.at < this.staleMs) return hit.value;
      throw err;
    }
  }

  /** Nothing cached or in flight survives it. */
  clear(): void {
    this.generation++;
    this.inflight.clear();
    this.entries.clear();
  }

  /** Drops the entries `match` picks, and every lookup in flight (it may hold what is being dropped). */
  forget(match: (key: string, value: V) => boolean): void {
    this.generation++;
    this.inflight.clear();
    for (const [k, e] of this.entries) if (match(k, e.value)) this.entries.delete(k);
  }

  get size(): number {
    return this.entries.size;
  }

  private async fetch(key: string): Promise<V> {
    const generation = this.generation;
    const value = await this.load(key);
    if (generation !== this.generation) return value;
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(key, { at: Date.now(), value });
    return value;
  }
}
