import { defineConcept } from '@cockpit/kit';
import type { DirectoryClient } from '../directory/directory.client';
import { costsResolvers } from './costs.resolvers';

/** The cost breakdown (BU8): a read of the usage records; it writes nothing, so it declares no events. */
export const costs = (directory: DirectoryClient) => defineConcept({ name: 'costs', resolvers: costsResolvers(directory) });
