/**
 * Config is parsed once, at the edge: each service describes its variables with
 * these readers and fails fast with one readable message listing every problem.
 */
export class ConfigError extends Error {}

export class EnvReader {
  private problems: string[] = [];
  constructor(private readonly env: Record<string, string | undefined>) {}

  string(name: string, fallback?: string): string {
    const v = this.env[name];
    if (v !== undefined && v !== '') return v;
    if (fallback !== undefined) return fallback;
    this.problems.push(`${name} is required`);
    return '';
  }
  optional(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v === '' ? undefined : v;
  }
  int(name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  }
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  }
  url(name: string, fallback?: string): string | undefined {
    const raw = this.optional(name) ?? fallback;
    if (raw === undefined) return undefined;
    try {
      new URL(raw);
    } catch {
      this.problems.push(`${name} must be a URL (got "${raw}")`);
    }
    return raw;
  }
  list(name: string, fallback: string[] = []): string[] {
    const raw = this.optional(name);
    return raw === undefined
      ? fallback
      : raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  }
  /** Records a problem found by a reader of its own (reported with the others by `done`). */
  invalid(problem: string): void {
    this.problems.push(problem);
  }
  /** Throws one ConfigError naming every invalid variable. */
  done(): void {
    if (this.problems.length) throw new ConfigError(`Invalid configuration:\n  - ${this.problems.join('\n  - ')}`);
  }
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Default bound of each subgraph's exact answer cache, in MiB (`COCKPIT_ANSWER_CACHE_MB`; 0 turns it off). */
export const DEFAULT_ANSWER_CACHE_MB = 32;

/**
 * How long a request waits on the database, each bound where the wait happens: for a pooled connection
 * (`acquireTimeoutMs`, knex's pool), for one statement (`statementTimeoutMs`) and for a row or table lock
 * (`lockTimeoutMs`), the last two set transaction-locally by the tenant settings statement (no extra round
 * trip). A bound hit answers SERVICE_UNAVAILABLE (errors.ts), well before the gateway's fetch timeout.
 * `0` turns a statement or lock bound off. Migrations run outside the tenant settings (session defaults), so
 * these bounds do not cut them; the outbox relay's batches run in tenant transactions and carry them.
 */
export interface DbBounds {
  acquireTimeoutMs: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
}
export const DEFAULT_DB_BOUNDS: DbBounds = { acquireTimeoutMs: 4000, statementTimeoutMs: 5000, lockTimeoutMs: 3000 };
export const DEFAULT_POOL_MAX = 8;
/**
 * The embedded database's bounds: its one backend serves every pooled connection in turn, so a burst
 * of requests queues for a connection longer than on PostgreSQL (the statement and lock bounds stay).
 */
export const EMBEDDED_DB_BOUNDS: DbBounds = { ...DEFAULT_DB_BOUNDS, acquireTimeoutMs: 8000 };
