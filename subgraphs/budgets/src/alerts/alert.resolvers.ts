import { paginate } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { alertRepository, type AlertRow } from './alert.repository';

export const alertResolvers: Resolvers = {
  Query: {
    budgetAlerts: (_, { first, after, filter }, ctx) => {
      const f = { scopeType: filter?.scopeType ?? null, cycleStart: filter?.cycleStart ? new Date(filter.cycleStart) : null };
      return paginate(
        { first, after },
        {
          key: (a: AlertRow) => a.id,
          rows: ({ after: before, take }) => ctx.read((em) => alertRepository.page(em, ctx.account, f, before, take)),
          count: () => ctx.read((em) => alertRepository.count(em, ctx.account, f)),
        },
      );
    },
  },
};
