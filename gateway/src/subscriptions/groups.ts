import { createHash, type KeyObject } from 'node:crypto';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { signInternalToken, type Logger, type Principal } from '@cockpit/kit';
import type { EventPlan } from './plan';

const RESOLVED_CACHE_SIZE = 512;

/** Runs an operation through the gateway itself (so every subgraph's fields resolve, authorized). */
export type Executor = (
  principal: Principal,
  query: string,
  variables: Record<string, unknown>,
) => Promise<{ data?: Record<string, unknown> | null; errors?: readonly unknown[] }>;

export interface GroupOptions {
  execute: Executor;
  /** ws:// URL of observability's internal feed. */
  feedUrl: () => string;
  internalKey: KeyObject;
  log: Logger;
}

/** Everything about a principal that can change the answer for an event, and nothing else. */
export function scopeOf(p: Principal) {
  return {
    accountId: p.accountId,
    superAdmin: p.superAdmin,
    roles: [...p.roles].sort(),
    scopes: [...p.scopes].sort(),
    teamIds: [...p.teamIds].sort(),
    orgIds: [...p.orgIds].sort(),
    kind: p.kind,
  };
}

/** True when two principals would be answered alike (a revalidated credential whose roles did not change). */
export function sameScope(a: Principal, b: Principal): boolean {
  return JSON.stringify(scopeOf(a)) === JSON.stringify(scopeOf(b));
}

/**
 * Subscribers whose answers can't differ (same scope, selection and variables)
 * share a group: one upstream connection to observability's feed, and each
 * event resolved and serialized once for all of them.
 */
export class SubscriberGroups {
  private readonly groups = new Map<string, Group>();

  constructor(private readonly opts: GroupOptions) {}

  get size() {
    return this.groups.size;
  }

  /** Joins (or opens) the group for this principal and plan; `release()` leaves it, once. */
  acquire(principal: Principal, plan: EventPlan): GroupLease {
    const scope = scopeOf(principal);
    const key = createHash('sha256')
      .update(JSON.stringify([scope, plan.query, plan.responseKey, plan.variables]))
      .digest('hex');
    let g = this.groups.get(key);
    if (!g) {
      const representative: Principal = {
        ...principal,
        ...scope,
        subject: `subscription-group:${key.slice(0, 16)}`,
        requestId: `sub-${key.slice(0, 16)}`,
      };
      g = new Group(representative, plan, this.opts);
      this.groups.set(key, g);
    }
    const group = g;
    group.refs++;
    let released = false;
    return {
      group,
      release: () => {
        if (released) return;
        released = true;
        if (--group.refs > 0 || this.groups.get(key) !== group) return;
        this.groups.delete(key);
        void group.dispose();
      },
    };
  }

  async disposeAll() {
    const all = [...this.groups.values()];
    this.groups.clear();
    await Promise.all(all.map((g) => g.dispose()));
  }
}

export interface GroupLease {
  group: Group;
  release(): void;
}

/** One group's upstream client and per-event cache. */
export class Group {
  refs = 0;
  readonly client: Client;
  private readonly resolved = new Map<string, Promise<string | null>>();

  constructor(
    private readonly principal: Principal,
    private readonly plan: EventPlan,
    private readonly opts: GroupOptions,
  ) {
    this.client = createClient({
      url: opts.feedUrl(),
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 5,
      connectionParams: async () => ({ token: await signInternalToken(opts.internalKey, 'observability', principal) }),
      // the client retries on its own; a failure that outlasts the retries ends each subscriber's iterator with it
      on: { error: (err) => opts.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'live feed connection failed') },
    });
  }

  /** The serialized payload for an event, computed once for the whole group. */
  resolve(eventId: string): Promise<string | null> {
    let p = this.resolved.get(eventId);
    if (!p) {
      p = this.opts
        .execute(this.principal, this.plan.query, { ...this.plan.variables, __eventId: eventId })
        .then((r) => {
          const node = r.data?.event ?? null;
          if (node === null && !r.errors?.length) return null;
          return JSON.stringify(
            r.errors?.length ? { data: { [this.plan.responseKey]: node }, errors: r.errors } : { data: { [this.plan.responseKey]: node } },
          );
        })
        .catch((err) => {
          this.opts.log.error({ err }, 'event resolution failed');
          return JSON.stringify({ data: null, errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_ERROR' } }] });
        });
      this.resolved.set(eventId, p);
      if (this.resolved.size > RESOLVED_CACHE_SIZE) this.resolved.delete(this.resolved.keys().next().value!);
    }
    return p;
  }

  async dispose() {
    await this.client.dispose();
  }
}
