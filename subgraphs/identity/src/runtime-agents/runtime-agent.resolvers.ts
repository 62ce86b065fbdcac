import type { KeyObject } from 'node:crypto';
import { authorize, can, isUuid, notFound, pageSize, requireAccount, type Principal, type RequestContext } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { anyUuid, requireUuid, visible } from '../shared/access';
import { RUNTIME_ID_PREFIX } from './agent-session';
import type { RuntimeAgent } from './runtime-agent.entity';
import {
  agentHandshake,
  createAgentChallenge,
  listRuntimeAgents,
  registerRuntimeAgent,
  revokeRuntimeAgent,
  toRuntimeAgent,
} from './runtime-agent.service';

/** One query for every agent id the request asks for (root field and entity references alike); RLS scopes it. */
export const runtimeAgentLoader = (ctx: RequestContext) =>
  ctx.loader<string, RuntimeAgent | null>('runtimeAgentById', async (ids) => {
    const rows = await ctx.tx((em) => em.execute(`select * from "identity"."runtime_agent" where ${anyUuid('id')}`, [[...ids]]));
    const byId = new Map(rows.map((r: any) => [r.id as string, toRuntimeAgent(r)]));
    return ids.map((id) => byId.get(id) ?? null);
  });

/** The account a read covers: the request's, or all of them for a super admin without X-Account-Id. */
const readScope = (p: Principal) => p.accountId ?? (p.superAdmin ? null : requireAccount(p));

/** Runtime callers (the agent's CLIENT key) act only on agents of their own account. */
const runtimeCaller = (ctx: RequestContext) => requireAccount(authorize(ctx.principal, 'agentSync.write'));

export function runtimeAgentResolvers(serviceKey: KeyObject): Resolvers {
  return {
    Query: {
      runtimeAgents: (_, args, ctx) =>
        listRuntimeAgents(
          ctx,
          readScope(authorize(ctx.principal, 'runtimeAgent.read')),
          pageSize(args.first),
          args.after,
          args.filter?.status,
        ),
      runtimeAgent: async (_, { id }, ctx) => {
        authorize(ctx.principal, 'runtimeAgent.read');
        const agent = await runtimeAgentLoader(ctx).load(requireUuid(id, 'RuntimeAgent'));
        if (!agent || !visible(ctx.principal, agent.accountId)) throw notFound('RuntimeAgent');
        return agent;
      },
    },
    Mutation: {
      registerRuntimeAgent: (_, { input }, ctx) =>
        registerRuntimeAgent(ctx, requireAccount(authorize(ctx.principal, 'runtimeAgent.write')), input),
      revokeRuntimeAgent: (_, { id }, ctx) => revokeRuntimeAgent(ctx, readScope(authorize(ctx.principal, 'runtimeAgent.write')), id),
      agentChallenge: (_, { agentId }, ctx) => createAgentChallenge(ctx, runtimeCaller(ctx), agentId),
      agentHandshake: (_, a, ctx) => agentHandshake(ctx, serviceKey, runtimeCaller(ctx), a.agentId, a.nonce, a.signature),
    },
    RuntimeAgent: {
      // another subgraph's reference is checked like the root field: readable, same tenant, else null
      __resolveReference: async (ref, ctx) => {
        if (!isUuid(ref.id) || !can(ctx.principal, 'runtimeAgent.read')) return null;
        const agent = await runtimeAgentLoader(ctx).load(ref.id.toLowerCase());
        return agent && visible(ctx.principal, agent.accountId) ? agent : null;
      },
      runtimeId: (a) => `${RUNTIME_ID_PREFIX}${a.publicKey}`,
    },
  };
}
