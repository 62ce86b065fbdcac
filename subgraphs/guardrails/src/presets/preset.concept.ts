import { defineConcept, defineEvents } from '@cockpit/kit';
import { GuardrailPreset } from './preset.entity';
import { presetResolvers } from './preset.resolvers';
import { presetsExistRoutes } from './presets-exist.routes';

/** An account's guardrail presets (GP1). */
export const presets = defineConcept({
  name: 'presets',
  entities: [GuardrailPreset],
  resolvers: presetResolvers,
  routes: presetsExistRoutes,
  events: defineEvents({
    'guardrail_preset.created': { subject: 'GuardrailPreset', payload: ['version', 'after'] },
    'guardrail_preset.updated': { subject: 'GuardrailPreset', payload: ['version', 'before', 'after'] },
    'guardrail_preset.deleted': { subject: 'GuardrailPreset', payload: ['version', 'name'] },
  }),
});
