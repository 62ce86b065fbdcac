import type { RequestContext } from '@cockpit/kit';
import type { LiveBus } from '../live/live-bus';
import type { Event } from './event.entity';
import { eventsBetween, headSeq } from './event.service';

const READ_BATCH = 500;

export interface FeedOptions {
  accountId: string;
  /** Replay every event after this seq first; null: live events only. */
  afterSeq: number | null;
  types: string[] | null;
}

/**
 * The live feed of one account: listens on the bus first, then reads from the
 * table everything after the cursor, then whatever the bus announces. Every
 * read is the committed range (last delivered seq, newest announced seq], so
 * events arrive in seq order with no gap and no double, however messages race
 * the replay. Bus messages only wake the loop; bursts collapse into one read.
 */
export async function* eventFeed(ctx: RequestContext, bus: LiveBus, opts: FeedOptions, signal: AbortSignal): AsyncGenerator<Event> {
  let announced = 0;
  let firstAnnounced = 0;
  let wake: (() => void) | null = null;
  const unsubscribe = bus.subscribe(opts.accountId, (msg) => {
    if (firstAnnounced === 0 || msg.seq < firstAnnounced) firstAnnounced = msg.seq;
    if (msg.seq > announced) announced = msg.seq;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  try {
    // the head is read after subscribing: anything committed later is announced on the bus
    let target = await headSeq(ctx, opts.accountId);
    // live only: from the first event announced since listening (it may already be in the head)
    let last = opts.afterSeq ?? (firstAnnounced ? Math.min(target, firstAnnounced - 1) : target);
    last = Math.min(last, target);
    for (;;) {
      while (last < target) {
        const batch = await eventsBetween(ctx, opts.accountId, last, target, opts.types, READ_BATCH);
        for (const e of batch) {
          // checked right before each yield: once the consumer has left, finish instead of suspending
          if (signal.aborted) return;
          yield e;
        }
        last = batch.length < READ_BATCH ? target : batch[batch.length - 1].seq;
      }
      while (announced <= last && !signal.aborted) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      if (signal.aborted) return;
      target = announced;
    }
  } finally {
    unsubscribe();
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Wraps the feed so that ending the subscription takes effect at once: a
 * native async generator waiting for the next event would only see `return()`
 * after that event arrived, keeping its bus listener until then.
 */
export function cancellableFeed(ctx: RequestContext, bus: LiveBus, opts: FeedOptions): AsyncIterableIterator<Event> {
  const abort = new AbortController();
  const inner = eventFeed(ctx, bus, opts, abort.signal);
  const outer: AsyncIterableIterator<Event> & Required<Pick<AsyncIterator<Event>, 'return' | 'throw'>> = {
    next: (...args) => inner.next(...args),
    return: (value) => {
      abort.abort();
      return inner.return(value);
    },
    throw: (err) => {
      abort.abort();
      return inner.throw(err);
    },
    [Symbol.asyncIterator]: () => outer,
  };
  return outer;
}
