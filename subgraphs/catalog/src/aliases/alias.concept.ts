import { defineConcept, defineEvents } from '@cockpit/kit';
import { ModelAlias } from './alias.entity';
import { aliasResolvers } from './alias.resolvers';

/** Account-level model aliases (CA5), resolved in the effective sets. */
export const aliases = defineConcept({
  name: 'aliases',
  entities: [ModelAlias],
  resolvers: aliasResolvers,
  events: defineEvents({
    'model_alias.set': { subject: 'ModelAlias', payload: ['before', 'after'] },
    'model_alias.removed': { subject: 'ModelAlias', payload: ['before'] },
  }),
});
