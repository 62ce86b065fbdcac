import { can, forbidden, invalidRequest, isUuid, notFound, type RequestContext } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { directoryUserLoader } from '../directory/directory.client';
import { eligibleModelsLoader } from '../eligibility/eligibility.service';
import { modelLoader } from '../models/model.service';
import { aliasesLoader, effectiveModelsLoader, narrowByAllowlist, type EffectiveModels } from './effective';
import { clearModelGrant, grantByScopeLoader, listModelGrants, setModelGrant } from './grant.service';

/**
 * The account a contributed field (Org/Team/User.modelGrant, User.effectiveModels) reads on: the
 * request's. Catalog cannot tell which account an org belongs to, so it reads the grant of that
 * id in the caller's own account (RLS): another account's org simply has none there.
 */
function fieldAccount(ctx: RequestContext): string {
  const accountId = ctx.principal.accountId;
  if (!accountId) throw invalidRequest('Account context required: send the X-Account-Id header');
  if (!can(ctx.principal, 'modelSelection.read', { accountId })) throw forbidden('Not allowed to modelSelection.read');
  return accountId;
}

/** A user's effective set on the account, or null for a user identity does not know there (or of the CONSOLE tree). */
async function effectiveOfUser(ctx: RequestContext, accountId: string, userId: string): Promise<EffectiveModels | null> {
  const user = await directoryUserLoader(ctx, accountId).load(userId);
  if (!user || user.domain !== 'COPILOT') return null;
  return effectiveModelsLoader(ctx, accountId).load({ userId: user.id, teamIds: user.teamIds, orgIds: user.orgIds });
}

/** The caller's set: the principal's directory user, teams and orgs, narrowed by its key's allow-list. */
async function effectiveOfCaller(ctx: RequestContext): Promise<EffectiveModels> {
  const p = ctx.principal;
  const set = await effectiveModelsLoader(ctx, ctx.account).load({ userId: p.userId ?? null, teamIds: p.teamIds, orgIds: p.orgIds });
  return narrowByAllowlist(set, p.modelAllowlist);
}

const reference = (ref: { id: string }, ctx: RequestContext) =>
  isUuid(ref.id) && ctx.principal.accountId ? { id: ref.id.toLowerCase() } : null;
const scopeGrant = (ref: { id: string }, _: unknown, ctx: RequestContext) => grantByScopeLoader(ctx, fieldAccount(ctx)).load(ref.id);

export const grantResolvers: Resolvers = {
  Query: {
    effectiveModels: (_, __, ctx) => effectiveOfCaller(ctx),
    effectiveModelsOf: async (_, { userId }, ctx) => {
      const set = await effectiveOfUser(ctx, ctx.account, userId);
      if (!set) throw notFound('User');
      return set;
    },
    resolveModel: async (_, { name }, ctx) => {
      const wanted = name.trim().toLowerCase();
      const set = await effectiveOfCaller(ctx);
      return set.models.find((e) => e.model.name === wanted) ?? set.models.find((e) => e.aliases.includes(wanted)) ?? null;
    },
    modelGrants: (_, __, ctx) => listModelGrants(ctx, ctx.account),
  },
  Mutation: {
    setModelGrant: (_, { scope, modelIds }, ctx) => setModelGrant(ctx, ctx.account, scope, modelIds),
    clearModelGrant: (_, { scope }, ctx) => clearModelGrant(ctx, ctx.account, scope),
  },
  Account: {
    modelGrant: (account, _, ctx) => {
      if (!can(ctx.principal, 'modelSelection.read', { accountId: account.id })) throw notFound('Account');
      return grantByScopeLoader(ctx, account.id).load(account.id);
    },
    modelAliases: (account, _, ctx) => {
      if (!can(ctx.principal, 'modelSelection.read', { accountId: account.id })) throw notFound('Account');
      return aliasesLoader(ctx).load(account.id);
    },
  },
  Org: { __resolveReference: reference, modelGrant: scopeGrant },
  Team: { __resolveReference: reference, modelGrant: scopeGrant },
  User: {
    __resolveReference: reference,
    modelGrant: scopeGrant,
    effectiveModels: (user, _, ctx) => effectiveOfUser(ctx, fieldAccount(ctx), user.id),
  },
  ModelGrant: {
    // only what is eligible now: a withdrawn model leaves every grant at once
    models: async (g, _, ctx) => (await eligibleModelsLoader(ctx).load(g.accountId)).filter((m) => g.modelIds.includes(m.id)),
  },
  ModelAlias: {
    model: async (a, _, ctx) => (await modelLoader(ctx).load(a.modelId))!, // a foreign key: always there
  },
};
