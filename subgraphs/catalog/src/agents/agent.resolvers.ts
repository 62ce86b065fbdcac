import { authorizeOn, can, forbidden, invalidRequest, notFound, type RequestContext } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import type { ToolConnection } from '../connections/connection.entity';
import { connectionLoader } from '../connections/connection.service';
import { directoryUserLoader } from '../directory/directory.client';
import { modelLoader } from '../models/model.service';
import { grantsByResourceLoader, resourcesOfSubjectsLoader, type AccessSubject } from '../scope-grants/scope-grant.service';
import type { AgentDefinition } from './agent.entity';
import { agentLoader, changeAgentGrants, createAgent, deleteAgent, listAgents, updateAgent } from './agent.service';

async function loadAgent(ctx: RequestContext, id: string): Promise<AgentDefinition> {
  const a = await agentLoader(ctx).load(id);
  if (!a) throw notFound('AgentDefinition');
  return a;
}

/** The agents a subject may use, by name: one statement for the grants of a batch of subjects, one for the agents. */
async function agentsOf(ctx: RequestContext, accountId: string, s: AccessSubject): Promise<AgentDefinition[]> {
  const ids = await resourcesOfSubjectsLoader(ctx, accountId, 'AGENT').load(s);
  const agents = (await agentLoader(ctx).loadMany(ids)).filter((a): a is AgentDefinition => !!a && !(a instanceof Error));
  return agents.sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
}

export const agentResolvers: Resolvers = {
  Query: {
    agentDefinitions: (_, __, ctx) => listAgents(ctx, ctx.account),
    agentDefinition: (_, { id }, ctx) => loadAgent(ctx, id),
    myAgents: (_, __, ctx) => {
      const p = ctx.principal;
      return agentsOf(ctx, ctx.account, { userId: p.userId ?? null, teamIds: p.teamIds, orgIds: p.orgIds });
    },
  },
  Mutation: {
    createAgentDefinition: (_, { input }, ctx) => createAgent(ctx, ctx.account, input),
    updateAgentDefinition: (_, { id, input }, ctx) => updateAgent(ctx, ctx.account, id, input),
    deleteAgentDefinition: (_, { id }, ctx) => deleteAgent(ctx, ctx.account, id),
    addAgentGrants: (_, { id, scopes }, ctx) => changeAgentGrants(ctx, ctx.account, id, 'add', scopes),
    removeAgentGrants: (_, { id, scopes }, ctx) => changeAgentGrants(ctx, ctx.account, id, 'remove', scopes),
  },
  User: {
    agents: async (user, _, ctx) => {
      const accountId = ctx.principal.accountId;
      if (!accountId) throw invalidRequest('Account context required: send the X-Account-Id header');
      if (!can(ctx.principal, 'agentDefinition.read', { accountId })) throw forbidden('Not allowed to agentDefinition.read');
      const u = await directoryUserLoader(ctx, accountId).load(user.id);
      if (!u || u.domain !== 'COPILOT') return [];
      return agentsOf(ctx, accountId, { userId: u.id, teamIds: u.teamIds, orgIds: u.orgIds });
    },
  },
  AgentDefinition: {
    defaultModel: async (a, _, ctx) => (await modelLoader(ctx).load(a.defaultModelId))!, // a foreign key: always there
    tools: async (a, _, ctx) =>
      (await connectionLoader(ctx).loadMany(a.connectionIds)).filter((c): c is ToolConnection => !!c && !(c instanceof Error)),
    guardrailPresets: (a) => a.guardrailPresetIds.map((id) => ({ __typename: 'GuardrailPreset' as const, id })),
    grants: (a, _, ctx) => {
      // myAgents and the marketplace hand agents to end users and agents; who else may use one is for account roles
      authorizeOn(ctx.principal, 'agentDefinition.read', a.accountId, 'AgentDefinition');
      return grantsByResourceLoader(ctx, 'AGENT').load(a.id);
    },
  },
};
