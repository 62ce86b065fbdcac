import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { printSchema } from 'graphql';
import { subgraphTypeDefs } from '@cockpit/kit';

/** The subgraphs in the supergraph, with the default URLs a single-machine install listens on. */
export const SUBGRAPHS = [
  { name: 'identity', port: 4001 },
  { name: 'budgets', port: 4002 },
  { name: 'catalog', port: 4003 },
  { name: 'guardrails', port: 4004 },
  { name: 'observability', port: 4005 },
] as const;

export const SUPERGRAPH_FILE = join(__dirname, 'supergraph.graphql');
export const API_FILE = join(__dirname, 'api.graphql');

/** Composes the subgraphs' SDL files; throws with every composition error listed. */
export function compose(): { supergraph: string; api: string } {
  const services = SUBGRAPHS.map(({ name, port }) => ({
    name,
    url: `http://127.0.0.1:${port}/graphql`,
    typeDefs: subgraphTypeDefs(join(__dirname, '..', 'subgraphs', name, 'src', 'schema.graphql')),
  }));
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  const api = printSchema(result.schema.toAPISchema().toGraphQLJSSchema());
  return { supergraph: result.supergraphSdl, api: `${api}\n` };
}
