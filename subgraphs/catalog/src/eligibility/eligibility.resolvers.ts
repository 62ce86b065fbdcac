import { authorize, can, notFound, requireAccount } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { eligibleModelsLoader, setEligibleModels } from './eligibility.service';

export const eligibilityResolvers: Resolvers = {
  Mutation: {
    setEligibleModels: (_, { modelIds }, ctx) => {
      const accountId = requireAccount(authorize(ctx.principal, 'eligibility.write'));
      return setEligibleModels(ctx, accountId, modelIds);
    },
  },
  Account: {
    __resolveReference: (ref) => ({ id: ref.id }),
    eligibleModels: (account, _, ctx) => {
      // another tenant's account is indistinguishable from one that does not exist
      if (!can(ctx.principal, 'eligibility.read', { accountId: account.id })) throw notFound('Account');
      return eligibleModelsLoader(ctx).load(account.id);
    },
  },
};
