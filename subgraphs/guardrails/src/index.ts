import { join } from 'node:path';
import { defineSubgraph } from '@cockpit/kit';
import { migrations } from './migrations';
import { presets } from './presets/preset.concept';

export const SCHEMA_FILE = join(__dirname, 'schema.graphql');

/** Guardrail presets (GP1): builds the subgraph without listening. */
export const createGuardrailsSubgraph = defineSubgraph({
  name: 'guardrails',
  schemaFile: SCHEMA_FILE,
  concepts: [presets],
  migrations,
  cacheable: { fields: ['guardrailPresets', 'guardrailPreset'], entities: ['GuardrailPreset'] },
});
