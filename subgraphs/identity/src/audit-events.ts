import type { CatalogueEvents, EventsOf } from '@cockpit/kit';
import type { accountAdmins } from './account-admins/account-admin.concept';
import type { accounts } from './accounts/account.concept';
import type { apiKeys } from './api-keys/api-key.concept';
import type { directory, directoryMaintenance } from './directory/directory.concept';
import type { runtimeAgents } from './runtime-agents/runtime-agent.concept';
import type { serviceAccounts } from './service-accounts/service-account.concept';
import type { sso } from './sso/sso.concept';

// identity's audit events, so `audit(...)` in its writes is checked by tsc (docs/adding-a-concept.md §2)
declare module '@cockpit/kit' {
  interface AuditEvents
    extends
      CatalogueEvents<EventsOf<typeof accounts>>,
      CatalogueEvents<EventsOf<typeof accountAdmins>>,
      CatalogueEvents<EventsOf<typeof directory>>,
      CatalogueEvents<EventsOf<typeof directoryMaintenance>>,
      CatalogueEvents<EventsOf<typeof apiKeys>>,
      CatalogueEvents<EventsOf<typeof runtimeAgents>>,
      CatalogueEvents<EventsOf<typeof serviceAccounts>>,
      CatalogueEvents<EventsOf<typeof sso>> {}
}
