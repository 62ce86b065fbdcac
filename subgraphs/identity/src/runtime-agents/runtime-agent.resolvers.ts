import type { KeyObject } from 'node:crypto';
import { byIdLoader, entityReference, notFound, requireUuid, visibleTo, type RequestContext } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { RUNTIME_ID_PREFIX } from './agent-session';
import { RuntimeAgent } from './runtime-agent.entity';
import { agentHandshake, createAgentChallenge, listRuntimeAgents, registerRuntimeAgent, revokeRuntimeAgent } from './runtime-agent.service';

/** One query for every agent id the request asks for (root field and entity references alike); RLS scopes it. */
export const runtimeAgentLoader = (ctx: RequestContext) => byIdLoader<RuntimeAgent>(ctx, RuntimeAgent, 'runtimeAgent');

// ctx.accountId: the account a field covers — for reads and revocation (ACCOUNT_OR_PLATFORM) every account for a
// super admin without X-Account-Id; runtime callers (the agent's CLIENT key) act only on agents of their own account.
export function runtimeAgentResolvers(serviceKey: KeyObject): Resolvers {
  return {
    Query: {
      runtimeAgents: (_, args, ctx) => listRuntimeAgents(ctx, ctx.accountId, args, args.filter?.status),
      runtimeAgent: async (_, { id }, ctx) => {
        const agent = await runtimeAgentLoader(ctx).load(requireUuid(id, 'RuntimeAgent'));
        if (!agent || !visibleTo(ctx.principal, agent.accountId)) throw notFound('RuntimeAgent');
        return agent;
      },
    },
    Mutation: {
      registerRuntimeAgent: (_, { input }, ctx) => registerRuntimeAgent(ctx, ctx.account, input),
      revokeRuntimeAgent: (_, { id }, ctx) => revokeRuntimeAgent(ctx, ctx.accountId, id),
      agentChallenge: (_, { agentId }, ctx) => createAgentChallenge(ctx, ctx.account, agentId),
      agentHandshake: (_, a, ctx) => agentHandshake(ctx, serviceKey, ctx.account, a.agentId, a.nonce, a.signature),
    },
    RuntimeAgent: {
      __resolveReference: entityReference({ action: 'runtimeAgent.read', load: runtimeAgentLoader, accountOf: (a) => a.accountId }),
      runtimeId: (a) => `${RUNTIME_ID_PREFIX}${a.publicKey}`,
    },
  };
}
