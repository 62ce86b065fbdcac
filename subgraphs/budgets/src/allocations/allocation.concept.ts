import { defineConcept, defineEvents } from '@cockpit/kit';
import type { DirectoryClient } from '../directory/directory.client';
import { Allocation, BudgetBalance } from './allocation.entity';
import { allocationResolvers } from './allocation.resolvers';

export const allocationEvents = defineEvents({
  'budget.allocation.set': { subject: 'BudgetNode', payload: ['scopeType', 'before', 'after', 'teamId', 'orgId', 'override'] },
  'budget.allocation.removed': { subject: 'BudgetNode', payload: ['scopeType', 'before', 'after', 'teamId', 'orgId', 'override'] },
  'budget.allocation.distributed': {
    subject: 'BudgetNode',
    payload: ['scopeType', 'total', 'share', 'remainderTo', 'overrides', 'children'],
  },
});

/** Allocations of the Copilot tree (BU2), effective allocation (BU4) and the balances they bound. */
export const allocations = (directory: DirectoryClient) =>
  defineConcept({
    name: 'allocations',
    entities: [Allocation, BudgetBalance],
    resolvers: allocationResolvers(directory),
    events: allocationEvents,
  });
