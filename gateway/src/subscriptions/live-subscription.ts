import { actingScope, CockpitError, type FieldRule, type Logger, type Principal } from '@cockpit/kit/edge';
import type { FeedEvent } from './account-feed';
import { idSuffix, type NextFrame } from './frame';
import type { Group, Member, SubscriberGroups } from './groups';
import type { EventPlan } from './plan';

/** `Subscription.events`' own rule, checked for each subscriber (the account's feed upstream is the gateway's). */
const EVENTS_RULE: FieldRule = {
  field: 'Subscription.events',
  scope: 'ACCOUNT_OR_PLATFORM',
  action: 'events.subscribe',
  platformAction: null,
};
/** Live events held while a replay catches up; past it the oldest are dropped (the replay reads them anyway). */
const MAX_HELD = 10_000;

/** Where a subscription's frames go: its connection (one object per socket, no closure per subscription). */
export interface SubscriptionSink {
  send(frame: Buffer | string): void;
  /** An event's shared `next` frame, ended by this subscription's id. */
  sendNext(frame: NextFrame, suffix: Buffer): void;
  /** The subscription ended by itself (completed, failed): its id is free again. */
  ended(id: string, sub: LiveSubscription): void;
}

/**
 * One client's `events` subscription, a member of its group. Without `after` it
 * is live at once: the group hands it each event of the account's shared feed.
 * With `after` it first replays on its own upstream subscription (on the
 * account feed's connection) while holding what the shared feed delivers; when
 * the replay reaches the first held event it hands over: sends the held events
 * from the replay's position on and stops replaying. Events go out in seq order, none
 * twice. `move()` joins the group of a changed principal and replays from the
 * last event sent, so nothing is lost or doubled on the way.
 */
export class LiveSubscription implements Member {
  private group?: Group;
  private replay?: AsyncIterableIterator<unknown>;
  /** Live events held during a replay (null: live). */
  private held: { ev: FeedEvent; frame: NextFrame | null }[] | null = null;
  private generation = 0;
  private lastSeq: number | null = null;
  private lastCursor?: string;
  private ended = false;
  private readonly types: Set<string> | null;
  /** `,"id":…}`: the end of its `next` messages, the one part of them that is this subscription's own. */
  private readonly suffix: Buffer;

  constructor(
    private readonly id: string,
    private readonly plan: EventPlan,
    private readonly principal: Principal,
    private readonly groups: SubscriberGroups,
    private readonly sink: SubscriptionSink,
    private readonly log: Logger,
  ) {
    this.types = plan.types ? new Set(plan.types) : null;
    this.suffix = idSuffix(id);
  }

  /** Joins the group (once its owner has it on record: a refusal ends it at once). */
  start() {
    this.join(this.principal, this.plan.after);
  }

  wants(type: string) {
    return !this.types || this.types.has(type);
  }

  /** The client completed it or the socket closed: stop quietly. */
  stop() {
    this.ended = true;
    this.leave();
  }

  move(principal: Principal) {
    if (this.ended) return;
    if ((principal.accountId ?? null) !== (this.group?.accountId ?? null)) {
      // another chain: cursors of the old one mean nothing there
      this.lastSeq = null;
      this.lastCursor = undefined;
    }
    this.join(principal, this.lastCursor ?? this.plan.after);
  }

  deliver(group: Group, ev: FeedEvent, frame: NextFrame | null) {
    if (this.ended || group !== this.group) return;
    if (!this.held) return this.emit(ev, frame);
    if (this.held.length >= MAX_HELD) this.held = []; // still contiguous from its new first event
    this.held.push({ ev, frame });
  }

  end(errors?: readonly unknown[]) {
    if (this.ended) return;
    if (errors?.length) return this.fail(errors);
    this.finish(JSON.stringify({ id: this.id, type: 'complete' }));
  }

  private join(principal: Principal, after: string | undefined) {
    try {
      actingScope(principal, EVENTS_RULE);
    } catch (e) {
      return this.fail([
        {
          message: e instanceof CockpitError ? e.message : 'Forbidden',
          extensions: { code: e instanceof CockpitError ? e.code : 'FORBIDDEN' },
        },
      ]);
    }
    const generation = ++this.generation;
    void this.replay?.return?.();
    this.replay = undefined;
    const previous = this.group;
    // join the new group before leaving the old one, so a group both share is not torn down in between
    const group = (this.group = this.groups.acquire(principal, this.plan, this));
    if (previous && previous !== group) this.groups.release(previous, this);
    if (after === undefined) {
      // live from now: what the group still has to hand out was recorded before this subscription
      this.held = null;
      const seen = group.lastSeq;
      if (seen !== null && (this.lastSeq === null || seen > this.lastSeq)) this.lastSeq = seen;
      return;
    }
    this.held = [];
    void this.catchUp(generation, group, after);
  }

  private async catchUp(generation: number, group: Group, after: string) {
    const current = () => !this.ended && generation === this.generation;
    const replay = group.replay(after);
    this.replay = replay;
    try {
      for await (const r of replay) {
        if (!current()) return;
        if (r.errors?.length) return this.fail(r.errors);
        const ev = r.data?.events;
        if (!ev) continue;
        const held = this.held!;
        if (held.length && ev.seq >= held[0].ev.seq) {
          // the shared feed has every event from held[0] on: hand over to it. The replay has sent
          // everything before `ev`, and what the group still hands out before it may even predate `after`
          this.held = null;
          this.lastSeq = Math.max(this.lastSeq ?? 0, ev.seq - 1);
          for (const h of held) this.emit(h.ev, h.frame);
          return;
        }
        const frame = this.wants(ev.type) ? await group.resolve(ev.id) : null;
        if (!current()) return;
        this.emit(ev, frame);
      }
      if (current()) this.end();
    } catch (e) {
      if (!current()) return;
      this.log.warn({ err: e instanceof Error ? e.message : e }, 'live event replay failed');
      this.fail(Array.isArray(e) ? e : [{ message: 'Live feed unavailable', extensions: { code: 'UPSTREAM_ERROR' } }]);
    } finally {
      if (this.replay === replay) this.replay = undefined;
      void replay.return?.();
    }
  }

  /** Sends an event unless it was sent already (cursor order: its seq is past the last one). */
  private emit(ev: FeedEvent, frame: NextFrame | null) {
    if (this.lastSeq !== null && ev.seq <= this.lastSeq) return;
    this.lastSeq = ev.seq;
    this.lastCursor = ev.cursor;
    if (frame && this.wants(ev.type)) this.sink.sendNext(frame, this.suffix);
  }

  private fail(errors: readonly unknown[]) {
    this.finish(JSON.stringify({ id: this.id, type: 'error', payload: errors }));
  }

  private finish(message: string) {
    if (this.ended) return;
    this.ended = true;
    this.leave();
    this.sink.send(message);
    this.sink.ended(this.id, this);
  }

  private leave() {
    this.generation++;
    this.held = null;
    void this.replay?.return?.();
    this.replay = undefined;
    if (this.group) this.groups.release(this.group, this);
    this.group = undefined;
  }
}
