import type { CatalogueEvents, EventsOf } from '@cockpit/kit';
import type { plans } from './plans/plan.concept';

// budgets' audit events, so `audit(...)` in its writes is checked by tsc (docs/adding-a-concept.md §2)
declare module '@cockpit/kit' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merges into the kit's interface
  interface AuditEvents extends CatalogueEvents<EventsOf<typeof plans>> {}
}
