import { accountReference, can, notFound } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { eligibleModelsLoader, setEligibleModels } from './eligibility.service';

export const eligibilityResolvers: Resolvers = {
  Mutation: {
    setEligibleModels: (_, { modelIds }, ctx) => setEligibleModels(ctx, ctx.account, modelIds),
  },
  Account: {
    __resolveReference: accountReference,
    eligibleModels: (account, _, ctx) => {
      // another tenant's account is indistinguishable from one that does not exist
      if (!can(ctx.principal, 'eligibility.read', { accountId: account.id })) throw notFound('Account');
      return eligibleModelsLoader(ctx).load(account.id);
    },
  },
};
