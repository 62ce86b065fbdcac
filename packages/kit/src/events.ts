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

/**
 * Every subgraph's audit events, by type: empty here, filled by each subgraph's
 * `src/audit-events.ts` with module augmentation, so `audit(...)` is checked by tsc:
 *
 *   declare module '@cockpit/kit' {
 *     interface AuditEvents extends CatalogueEvents<EventsOf<typeof plans>> {}
 *   }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AuditEvents {}

/** The catalogue of a concept, or of what a concept factory returns (none for a concept without events). */
export type EventsOf<C> = C extends (...args: never[]) => infer R
  ? EventsOf<R>
  : C extends { events: infer E extends EventCatalogue }
    ? E
    : Record<never, never>;

/** A catalogue as `AuditEvents` entries: each event type's subject type, domain and payload field names. */
export type CatalogueEvents<C extends EventCatalogue> = {
  [T in keyof C]: {
    subject: C[T]['subject'];
    domain: C[T] extends { domain: infer D } ? D : undefined;
    payload: C[T]['payload'][number];
  };
};

type Domain = OutboxEvent['domain'];
type Registered = { subject: string | null; domain?: Domain; payload: string };
type SubjectField<S> = S extends string ? { subject: { type: S; id: string } } : { subject?: undefined };
/** A fixed domain other than the default must be named; no fixed domain: any. */
type DomainField<D> = [D] extends [undefined] ? { domain?: Domain } : [D] extends ['COPILOT'] ? { domain?: 'COPILOT' } : { domain: D };

/** One audit event as a write records it, checked against its catalogue entry at compile time (and again at run time). */
export type TypedAuditInput<T extends string, E extends Registered> = {
  type: T;
  /** Defaults to the account the field acts on. */
  accountId?: string;
  payload?: { [K in E['payload']]?: unknown };
} & SubjectField<E['subject']> &
  DomainField<E['domain']>;

/** What `audit(...)` takes: one of the registered event types, with its subject, domain and payload fields. */
export type AuditInput = {
  [T in keyof AuditEvents & string]: AuditEvents[T] extends Registered ? TypedAuditInput<T, AuditEvents[T]> : never;
}[keyof AuditEvents & string];
