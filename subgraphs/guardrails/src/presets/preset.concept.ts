import { defineConcept, defineEvents } from '@cockpit/kit';
import { GuardrailPreset } from './preset.entity';
import { presetResolvers } from './preset.resolvers';

/** An account's guardrail presets (GP1). */
export const presets = defineConcept({
  name: 'presets',
  entities: [GuardrailPreset],
  resolvers: presetResolvers,
  events: defineEvents({
    'guardrail_preset.created': { subject: 'GuardrailPreset', payload: ['version', 'after'] },
    'guardrail_preset.updated': { subject: 'GuardrailPreset', payload: ['version', 'before', 'after'] },
    'guardrail_preset.deleted': { subject: 'GuardrailPreset', payload: ['version', 'name'] },
  }),
});
