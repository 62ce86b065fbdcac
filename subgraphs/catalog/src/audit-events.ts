import type { CatalogueEvents, EventsOf } from '@cockpit/kit';
import type { agents } from './agents/agent.concept';
import type { aliases } from './aliases/alias.concept';
import type { connections } from './connections/connection.concept';
import type { consoleModels } from './console/console.concept';
import type { eligibility } from './eligibility/eligibility.concept';
import type { features } from './features/feature.concept';
import type { grants } from './grants/grant.concept';
import type { marketplace } from './marketplace/marketplace.concept';
import type { models } from './models/model.concept';
import type { providers } from './providers/provider.concept';

// catalog's audit events, so `audit(...)` in its writes is checked by tsc (docs/adding-a-concept.md §2)
declare module '@cockpit/kit' {
  interface AuditEvents
    extends
      CatalogueEvents<EventsOf<typeof providers>>,
      CatalogueEvents<EventsOf<typeof models>>,
      CatalogueEvents<EventsOf<typeof eligibility>>,
      CatalogueEvents<EventsOf<typeof grants>>,
      CatalogueEvents<EventsOf<typeof aliases>>,
      CatalogueEvents<EventsOf<typeof agents>>,
      CatalogueEvents<EventsOf<typeof connections>>,
      CatalogueEvents<EventsOf<typeof marketplace>>,
      CatalogueEvents<EventsOf<typeof consoleModels>>,
      CatalogueEvents<EventsOf<typeof features>> {}
}
