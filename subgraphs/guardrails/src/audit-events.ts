import type { CatalogueEvents, EventsOf } from '@cockpit/kit';
import type { presets } from './presets/preset.concept';

// guardrails' audit events, so `audit(...)` in its writes is checked by tsc (docs/adding-a-concept.md §2)
declare module '@cockpit/kit' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merges into the kit's interface
  interface AuditEvents extends CatalogueEvents<EventsOf<typeof presets>> {}
}
