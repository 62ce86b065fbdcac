import { defineConcept, defineEvents } from '@cockpit/kit';
import { AppUser, Org, Team, TeamMember } from './directory.entity';
import { directoryResolvers } from './directory.resolvers';
import { directoryRoutes } from './directory.routes';
import { directoryScopesRoutes } from './directory-scopes.routes';
import { directoryMaintenanceResolvers } from './directory-maintenance.resolvers';
import { directoryMaintenanceEvents } from './directory-maintenance.service';

// directory events carry the domain (COPILOT / CONSOLE) of the org they belong to, so no domain is fixed here
export const directory = defineConcept({
  name: 'directory',
  entities: [Org, Team, AppUser, TeamMember],
  resolvers: directoryResolvers,
  routes: (orm) => ({ ...directoryRoutes(orm), ...directoryScopesRoutes(orm) }),
  events: defineEvents({
    'org.created': { subject: 'Org', payload: ['name'] },
    'team.created': { subject: 'Team', payload: ['name', 'orgId'] },
    'user.created': { subject: 'User', payload: ['email', 'displayName'] },
    'team.member_added': { subject: 'Team', payload: ['userId'] },
  }),
});

/** Directory maintenance (ID3) and the tree's batched counts. */
export const directoryMaintenance = defineConcept({
  name: 'directoryMaintenance',
  resolvers: directoryMaintenanceResolvers,
  events: directoryMaintenanceEvents,
});
