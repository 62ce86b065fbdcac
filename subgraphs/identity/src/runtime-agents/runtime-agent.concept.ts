import type { KeyObject } from 'node:crypto';
import { defineConcept, defineEvents } from '@cockpit/kit';
import { AgentChallenge, RuntimeAgent } from './runtime-agent.entity';
import { runtimeAgentResolvers } from './runtime-agent.resolvers';
import { runtimeAgentRoutes } from './runtime-agent.routes';

const agent = ['hostname', 'agentVersion', 'platform', 'runtimeId'] as const;

/** Runtime agents (ID8): registered keys, challenge-response sessions signed with `serviceKey`. */
export const runtimeAgents = (serviceKey: KeyObject) =>
  defineConcept({
    name: 'runtimeAgents',
    entities: [RuntimeAgent, AgentChallenge],
    resolvers: runtimeAgentResolvers(serviceKey),
    routes: runtimeAgentRoutes,
    events: defineEvents({
      'runtime_agent.registered': { subject: 'RuntimeAgent', domain: 'COPILOT', payload: agent },
      'runtime_agent.revoked': { subject: 'RuntimeAgent', domain: 'COPILOT', payload: ['hostname'] },
      'agent.connected': { subject: 'RuntimeAgent', domain: 'COPILOT', payload: ['agentId', ...agent] },
    }),
  });
