import { can, forbidden, invalidRequest, notFound, type RequestContext } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { directoryUserLoader } from '../directory/directory.client';
import {
  clearConsoleModelGrant,
  consoleGrantByScopeLoader,
  consolePolicyLoader,
  effectiveConsoleModelsLoader,
  listConsoleModelGrants,
  setConsoleModelGrant,
  setConsoleModelPolicy,
  type EffectiveConsoleModels,
} from './console.service';

/** The account a contributed field reads on: the request's (another account's org simply has no grant there). */
function fieldAccount(ctx: RequestContext): string {
  const accountId = ctx.principal.accountId;
  if (!accountId) throw invalidRequest('Account context required: send the X-Account-Id header');
  if (!can(ctx.principal, 'consoleModelSelection.read', { accountId })) throw forbidden('Not allowed to consoleModelSelection.read');
  return accountId;
}

/** A CONSOLE user's console effective set, or null for a user identity does not know there (or of the COPILOT tree). */
async function effectiveOfUser(ctx: RequestContext, accountId: string, userId: string): Promise<EffectiveConsoleModels | null> {
  const user = await directoryUserLoader(ctx, accountId).load(userId);
  if (!user || user.domain !== 'CONSOLE') return null;
  return effectiveConsoleModelsLoader(ctx, accountId).load({ userId: user.id, teamIds: user.teamIds, orgIds: user.orgIds });
}

const scopeGrant = (ref: { id: string }, _: unknown, ctx: RequestContext) => consoleGrantByScopeLoader(ctx, fieldAccount(ctx)).load(ref.id);

export const consoleResolvers: Resolvers = {
  Query: {
    effectiveConsoleModels: (_, __, ctx) => {
      const p = ctx.principal;
      return effectiveConsoleModelsLoader(ctx, ctx.account).load({ userId: p.userId ?? null, teamIds: p.teamIds, orgIds: p.orgIds });
    },
    effectiveConsoleModelsOf: async (_, { userId }, ctx) => {
      const set = await effectiveOfUser(ctx, ctx.account, userId);
      if (!set) throw notFound('User');
      return set;
    },
    consoleModelGrants: (_, __, ctx) => listConsoleModelGrants(ctx, ctx.account),
  },
  Mutation: {
    setConsoleModelPolicy: (_, { modelIds }, ctx) => setConsoleModelPolicy(ctx, ctx.account, modelIds),
    setConsoleModelGrant: (_, { scope, modelIds }, ctx) => setConsoleModelGrant(ctx, ctx.account, scope, modelIds),
    clearConsoleModelGrant: (_, { scope }, ctx) => clearConsoleModelGrant(ctx, ctx.account, scope),
  },
  Account: {
    consoleModelPolicy: (account, _, ctx) => {
      if (!can(ctx.principal, 'consolePolicy.read', { accountId: account.id })) throw notFound('Account');
      return consolePolicyLoader(ctx).load(account.id);
    },
    consoleModelGrant: (account, _, ctx) => {
      if (!can(ctx.principal, 'consoleModelSelection.read', { accountId: account.id })) throw notFound('Account');
      return consoleGrantByScopeLoader(ctx, account.id).load(account.id);
    },
  },
  Org: { consoleModelGrant: scopeGrant },
  Team: { consoleModelGrant: scopeGrant },
  User: {
    consoleModelGrant: scopeGrant,
    effectiveConsoleModels: (user, _, ctx) => effectiveOfUser(ctx, fieldAccount(ctx), user.id),
  },
  ConsoleModelGrant: {
    // only what the policy holds now: a model withdrawn from it leaves every console grant at once
    models: async (g, _, ctx) => (await consolePolicyLoader(ctx).load(g.accountId)).filter((m) => g.modelIds.includes(m.id)),
  },
};
