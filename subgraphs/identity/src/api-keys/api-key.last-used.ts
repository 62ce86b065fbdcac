import type { MikroORM } from '@mikro-orm/postgresql';
import { inPlatformTx, type Logger } from '@cockpit/kit';
import { apiKeyRepository } from './api-key.repository';

/** How often remembered uses are written: `lastUsedAt` is advisory, a few seconds late is fine. */
export const LAST_USED_FLUSH_MS = 3000;

/**
 * Records API-key use without a write per request: lookups only remember the
 * key's id; every few seconds (and on close) ONE statement stamps every key used
 * since, so a hot key costs one write per interval however often it is looked up.
 */
export class ApiKeyUsage {
  private used = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private orm: MikroORM | null = null;

  constructor(
    private readonly intervalMs = LAST_USED_FLUSH_MS,
    private readonly log?: Logger,
  ) {}

  /** The ORM the flush writes through (known only once the subgraph has built it). */
  attach(orm: MikroORM): this {
    this.orm = orm;
    return this;
  }

  mark(keyId: string): void {
    this.used.add(keyId);
    // the timer runs only while there is something to write, and never keeps the process alive
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, this.intervalMs);
      this.timer.unref();
    }
  }

  /** Writes every remembered use in one statement; flushes never overlap. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.used.size === 0 || !this.orm) return;
    const ids = [...this.used];
    this.used = new Set();
    try {
      await inPlatformTx(this.orm, (em) => apiKeyRepository.stampUsed(em, ids));
    } catch (err) {
      // advisory data: losing one interval's stamps beats failing or retrying forever
      this.log?.warn({ err, keys: ids.length }, 'could not record API-key use');
    }
  }

  /** Stops the timer and writes what is pending (before the ORM closes). */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }
}
