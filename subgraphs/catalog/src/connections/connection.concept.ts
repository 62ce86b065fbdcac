import { defineConcept, defineEvents } from '@cockpit/kit';
import { ScopeGrant } from '../scope-grants/scope-grant.entity';
import { ToolConnection } from './connection.entity';
import { connectionResolvers } from './connection.resolvers';
import type { SecretBox } from './secret-box';

export const connectionEvents = defineEvents({
  'tool_connection.created': { subject: 'ToolConnection', payload: ['after'] },
  'tool_connection.updated': { subject: 'ToolConnection', payload: ['before', 'after', 'secretChanged'] },
  'tool_connection.deleted': { subject: 'ToolConnection', payload: ['before'] },
  'tool_connection.grants_changed': { subject: 'ToolConnection', payload: ['before', 'after'] },
  'tool_connection.secrets_rotated': { subject: 'Account', payload: ['keyId', 'from', 'count'] },
});

/** Tool connections with sealed secrets, and who may use them (CA7); also the grant table shared with agents. */
export const connections = (box: SecretBox) =>
  defineConcept({
    name: 'connections',
    entities: [ToolConnection, ScopeGrant],
    resolvers: connectionResolvers(box),
    events: connectionEvents,
  });
