import { createHash } from 'node:crypto';
import { principalKey, type Logger, type Principal } from '@cockpit/kit/edge';
import type { AccountFeeds, FeedEvent, FeedLease, FeedListener } from './account-feed';
import { NextFrame } from './frame';
import type { EventPlan } from './plan';

const RESOLVED_CACHE_SIZE = 512;
/** Per-event queries one group runs at once: a burst of thousands of events must not swamp the subgraphs. */
const MAX_RESOLVING = 8;

/** Runs an operation through the gateway itself (so every subgraph's fields resolve, authorized). */
export type Executor = (
  principal: Principal,
  query: string,
  variables: Record<string, unknown>,
) => Promise<{ data?: Record<string, unknown> | null; errors?: readonly unknown[] }>;

export interface GroupOptions {
  execute: Executor;
  feeds: AccountFeeds;
  log: Logger;
}

/** A subscriber as its group sees it. */
export interface Member {
  /** Its `types` filter (if any) takes events of this type. */
  wants(type: string): boolean;
  /** An event of the group's feed, in seq order, with the group's `next` frame of it (null: the event is not for it to see). */
  deliver(group: Group, ev: FeedEvent, frame: NextFrame | null): void;
  /** The account's feed ended: completed (no errors) or failed. */
  end(errors?: readonly unknown[]): void;
}

/**
 * True when two principals would be answered alike (a revalidated credential whose roles did not
 * change): the kit's one definition, every field but the request id — the subject and the
 * directory user included, since a resolver may answer by them.
 */
export function sameScope(a: Principal, b: Principal): boolean {
  return principalKey(a) === principalKey(b);
}

/**
 * Subscribers whose answers can't differ (same scope, selection and variables)
 * share a group: it hears its account's one upstream feed, and resolves and
 * serializes each event once for all of its members.
 */
export class SubscriberGroups {
  private readonly groups = new Map<string, Group>();

  constructor(private readonly opts: GroupOptions) {}

  get size() {
    return this.groups.size;
  }

  /** Subscriptions in all groups. */
  get memberCount() {
    let n = 0;
    for (const g of this.groups.values()) n += g.members.size;
    return n;
  }

  /** Joins (or opens) the group for this principal and plan; `release(group, member)` leaves it. */
  acquire(principal: Principal, plan: EventPlan, member: Member): Group {
    const key = createHash('sha256')
      .update(JSON.stringify([principalKey(principal), plan.query, plan.responseKey, plan.variables]))
      .digest('hex');
    let g = this.groups.get(key);
    if (!g || g.ended) {
      // Members differ only in their request ids: the group resolves as any of them would.
      const representative: Principal = { ...principal, requestId: `sub-${key.slice(0, 16)}` };
      g = new Group(key, representative, plan, this.opts);
      this.groups.set(key, g);
    }
    g.members.add(member);
    return g;
  }

  /**
   * A member leaves its group (a no-op when it already left); the last one out closes it.
   * A method, not a closure per member: thousands of sockets each hold a membership.
   */
  release(group: Group, member: Member) {
    if (!group.members.delete(member) || group.members.size > 0) return;
    if (this.groups.get(group.key) === group) this.groups.delete(group.key);
    group.dispose();
  }

  disposeAll() {
    const all = [...this.groups.values()];
    this.groups.clear();
    for (const g of all) g.dispose();
  }
}

/**
 * One group: its members, its place on the account's feed, and the payload of
 * each recent event. Events are resolved as they come (concurrently) and handed
 * to the members in feed order, the same bytes to each.
 */
export class Group implements FeedListener {
  readonly members = new Set<Member>();
  ended = false;
  /** The newest event the feed has handed this group (null: none yet), whether or not delivered yet. */
  lastSeq: number | null = null;
  readonly feed: FeedLease;
  private readonly resolved = new Map<string, Promise<NextFrame | null>>();
  private delivered: Promise<void> = Promise.resolve();
  private resolving = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    /** Its place in SubscriberGroups (the hash of scope, selection and variables). */
    readonly key: string,
    private readonly principal: Principal,
    private readonly plan: EventPlan,
    private readonly opts: GroupOptions,
  ) {
    this.feed = opts.feeds.listen(principal.accountId, this);
  }

  get accountId() {
    return this.principal.accountId;
  }

  /** The account's events after `cursor` (then live ones) on the feed's connection: a member's catch-up. */
  replay(after: string) {
    return this.feed.feed.replay(after);
  }

  event(ev: FeedEvent) {
    this.lastSeq = ev.seq;
    let wanted = false;
    for (const m of this.members) if ((wanted = m.wants(ev.type))) break;
    if (!wanted) return;
    const payload = this.resolve(ev.id);
    this.delivered = this.delivered
      .then(() => payload)
      .then((frame) => {
        // every member in this one task: the same frame, each socket written once
        for (const m of this.members) {
          try {
            m.deliver(this, ev, frame);
          } catch (err) {
            this.opts.log.error({ err }, 'live event delivery failed');
          }
        }
      });
  }

  end(errors?: readonly unknown[]) {
    this.ended = true;
    for (const m of [...this.members]) m.end(errors);
  }

  /** The `next` frame of an event, resolved and serialized once for the whole group (null: nothing to send). */
  resolve(eventId: string): Promise<NextFrame | null> {
    let p = this.resolved.get(eventId);
    if (!p) {
      p = this.slot()
        .then(() => this.opts.execute(this.principal, this.plan.query, { ...this.plan.variables, __eventId: eventId }))
        .finally(() => this.unslot())
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
        })
        .then((json) => (json === null ? null : new NextFrame(Buffer.from(json))));
      this.resolved.set(eventId, p);
      if (this.resolved.size > RESOLVED_CACHE_SIZE) this.resolved.delete(this.resolved.keys().next().value!);
    }
    return p;
  }

  private async slot() {
    while (this.resolving >= MAX_RESOLVING) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.resolving++;
  }

  private unslot() {
    this.resolving--;
    this.waiting.shift()?.();
  }

  dispose() {
    this.ended = true;
    this.feed.stop();
  }
}
