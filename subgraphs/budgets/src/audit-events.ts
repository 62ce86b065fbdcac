import type { CatalogueEvents, EventsOf } from '@cockpit/kit';
import type { alertEvents } from './alerts/alert.concept';
import type { allocationEvents } from './allocations/allocation.concept';
import type { plans } from './plans/plan.concept';
import type { usageEvents } from './usage/usage.concept';

// budgets' audit events, so `audit(...)` in its writes is checked by tsc (docs/adding-a-concept.md §2)
declare module '@cockpit/kit' {
  interface AuditEvents
    extends
      CatalogueEvents<EventsOf<typeof plans>>,
      CatalogueEvents<typeof allocationEvents>,
      CatalogueEvents<typeof usageEvents>,
      CatalogueEvents<typeof alertEvents> {}
}
