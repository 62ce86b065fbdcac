import type { EventInput, OutboxEvent } from './outbox';

/** One audit event type as a subgraph declares it. */
export interface EventType {
  /** The subject's GraphQL type (`ApiKey`), or null for events about no one object. */
  subject: string | null;
  /** Checked when given; events whose domain depends on the write (account or platform chain) leave it out. */
  domain?: OutboxEvent['domain'];
  /** The payload fields the event may carry: each one checked to hold no secret. Any other field is refused. */
  payload: readonly string[];
}

export type EventCatalogue = Record<string, EventType>;

/** A subgraph concept's audit events, by name (`budget.plan.set`). */
export const defineEvents = <const C extends EventCatalogue>(catalogue: C): C => catalogue;

/** Throws (a programming error: the write rolls back) for an event its catalogue does not describe. */
export function eventChecker(catalogue: EventCatalogue): (input: EventInput) => void {
  return (input) => {
    const t = catalogue[input.type];
    if (!t) throw new Error(`audit event ${input.type} is not in the subgraph's event catalogue`);
    if ((input.subject?.type ?? null) !== t.subject)
      throw new Error(`audit event ${input.type} has subject ${input.subject?.type ?? 'none'}; its catalogue says ${t.subject ?? 'none'}`);
    if (t.domain && (input.domain ?? 'COPILOT') !== t.domain)
      throw new Error(`audit event ${input.type} has domain ${input.domain}; its catalogue says ${t.domain}`);
    const extra = Object.keys(input.payload ?? {}).filter((k) => !t.payload.includes(k));
    if (extra.length) throw new Error(`audit event ${input.type} carries undeclared payload fields: ${extra.join(', ')}`);
  };
}
