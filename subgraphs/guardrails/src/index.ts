import { join } from 'node:path';
import { buildSubgraph, DateTimeScalar, JSONScalar, type BuiltSubgraph, type SubgraphConfig } from '@cockpit/kit';
import { migrations } from './migrations';
import { GuardrailPreset } from './presets/preset.entity';
import { presetResolvers } from './presets/preset.resolvers';

export const SCHEMA_FILE = join(__dirname, 'schema.graphql');

/** Guardrail presets (GP1): builds the subgraph without listening. */
export function createGuardrailsSubgraph(config: SubgraphConfig): Promise<BuiltSubgraph> {
  return buildSubgraph(
    {
      name: 'guardrails',
      schemaFile: SCHEMA_FILE,
      resolvers: { DateTime: DateTimeScalar, JSON: JSONScalar, ...presetResolvers } as never,
      entities: [GuardrailPreset],
      migrations,
    },
    config,
  );
}
