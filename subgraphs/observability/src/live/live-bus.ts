import { EventEmitter } from 'node:events';

/** What the bus carries: a pointer into an account's chain; subscribers read the event itself from the table. */
export interface LiveMessage {
  accountId: string;
  seq: number;
  id: string;
}

export type LiveListener = (msg: LiveMessage) => void;

/**
 * Tells feed subscribers that an account's chain grew. Messages are wake-ups,
 * not the source of truth: a subscriber reads every committed seq up to the one
 * announced, so a reordered or duplicated message never causes a gap or a double.
 */
export interface LiveBus {
  publish(msg: LiveMessage): void;
  /** Returns the function that unsubscribes. */
  subscribe(accountId: string, listener: LiveListener): () => void;
  close?(): Promise<void>;
}

/** A bus that can tell how many feed subscriptions of this process listen on an account. */
export interface InProcessLiveBus extends LiveBus {
  /** Live subscriptions on an account in this process (metrics, tests). */
  subscriberCount(accountId: string): number;
}

/** The single-process bus (`cockpit up`, tests): one EventEmitter, one event name per account. */
export function createInProcessLiveBus(): InProcessLiveBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0); // thousands of live dashboards may watch one account
  return {
    publish(msg) {
      emitter.emit(msg.accountId, msg);
    },
    subscribe(accountId, listener) {
      // a failing subscriber must not fail the ingest that published after its commit
      const safe: LiveListener = (msg) => {
        try {
          listener(msg);
        } catch {
          /* the subscriber's own problem */
        }
      };
      emitter.on(accountId, safe);
      return () => emitter.off(accountId, safe);
    },
    subscriberCount: (accountId) => emitter.listenerCount(accountId),
  };
}
