import { defineConcept, defineEvents } from '@cockpit/kit';
import { AgentDefinition } from './agent.entity';
import { agentResolvers } from './agent.resolvers';

/** Account admins' agent definitions and who may use them (CA6). */
export const agents = defineConcept({
  name: 'agents',
  entities: [AgentDefinition],
  resolvers: agentResolvers,
  events: defineEvents({
    'agent_definition.created': { subject: 'AgentDefinition', payload: ['after'] },
    'agent_definition.updated': { subject: 'AgentDefinition', payload: ['before', 'after'] },
    'agent_definition.deleted': { subject: 'AgentDefinition', payload: ['before'] },
    'agent_definition.grants_changed': { subject: 'AgentDefinition', payload: ['before', 'after'] },
  }),
});
