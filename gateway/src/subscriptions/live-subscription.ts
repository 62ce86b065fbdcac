import type { Logger, Principal } from '@cockpit/kit';
import type { GroupLease, SubscriberGroups } from './groups';
import type { EventPlan } from './plan';

const FEED_QUERY = 'subscription Feed($after: String, $types: [String!]) { events(after: $after, types: $types) { id cursor } }';

/**
 * One client's `events` subscription: follows observability's feed through its
 * group's upstream client and sends each event's shared payload. `move()` joins
 * the group of a changed principal, resuming the feed after the last event
 * handled, so nothing is lost or sent twice on the way.
 */
export class LiveSubscription {
  private lease: GroupLease;
  private iterator?: AsyncIterableIterator<unknown>;
  private generation = 0;
  private lastCursor?: string;
  private ended = false;

  constructor(
    private readonly id: string,
    private readonly plan: EventPlan,
    principal: Principal,
    private readonly groups: SubscriberGroups,
    private readonly send: (raw: string) => void,
    private readonly done: () => void,
    private readonly log: Logger,
  ) {
    this.lease = groups.acquire(principal, plan);
    this.follow();
  }

  /** The client completed it or the socket closed: stop quietly. */
  stop() {
    this.ended = true;
    void this.iterator?.return?.();
  }

  move(principal: Principal) {
    if (this.ended) return;
    const previous = this.iterator;
    // join the new group before the old lease goes, so a group both share is not torn down in between
    this.lease = this.groups.acquire(principal, this.plan);
    this.follow();
    void previous?.return?.();
  }

  private follow() {
    const generation = ++this.generation;
    const lease = this.lease;
    const current = () => !this.ended && generation === this.generation;
    const iterator = lease.group.client.iterate<{ events: { id: string; cursor: string } }>({
      query: FEED_QUERY,
      variables: { after: this.lastCursor ?? this.plan.after ?? null, types: this.plan.types ?? null },
    });
    this.iterator = iterator;
    (async () => {
      try {
        for await (const result of iterator) {
          if (!current()) break;
          if (result.errors?.length) return this.fail(result.errors);
          const ev = result.data?.events;
          if (!ev) continue;
          const bytes = await lease.group.resolve(ev.id);
          if (!current()) break;
          this.lastCursor = ev.cursor;
          if (bytes) this.send(`{"id":${JSON.stringify(this.id)},"type":"next","payload":${bytes}}`);
        }
        if (current()) {
          this.ended = true;
          this.send(JSON.stringify({ id: this.id, type: 'complete' }));
          this.done();
        }
      } catch (e) {
        if (!current()) return;
        this.log.warn({ err: e instanceof Error ? e.message : e }, 'subscription upstream failed');
        this.fail(Array.isArray(e) ? e : [{ message: 'Live feed unavailable', extensions: { code: 'UPSTREAM_ERROR' } }]);
      } finally {
        lease.release();
      }
    })();
  }

  private fail(errors: readonly unknown[]) {
    this.ended = true;
    void this.iterator?.return?.();
    this.send(JSON.stringify({ id: this.id, type: 'error', payload: errors }));
    this.done();
  }
}
