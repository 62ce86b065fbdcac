import { can, notFound, type RequestContext } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { createPreset, deletePreset, listPresets, presetLoader, updatePreset } from './preset.service';

/** Unknown, deleted and other tenants' presets all answer NOT_FOUND. */
async function loadPreset(ctx: RequestContext, id: string) {
  const preset = await presetLoader(ctx).load(id);
  if (!preset) throw notFound('GuardrailPreset');
  return preset;
}

export const presetResolvers: Resolvers = {
  Query: {
    guardrailPresets: (_, args, ctx) => listPresets(ctx, ctx.account, args),
    guardrailPreset: (_, { id }, ctx) => loadPreset(ctx, id),
  },
  Mutation: {
    createGuardrailPreset: (_, { input }, ctx) => createPreset(ctx, ctx.account, input),
    updateGuardrailPreset: (_, { id, input, expectedVersion }, ctx) => updatePreset(ctx, ctx.account, id, input, expectedVersion),
    deleteGuardrailPreset: (_, { id }, ctx) => deletePreset(ctx, ctx.account, id),
  },
  GuardrailPreset: {
    // like the root field, minus the error: null for what the caller may not see
    __resolveReference: (ref, ctx) => (can(ctx.principal, 'guardrail.read') ? presetLoader(ctx).load(ref.id) : null),
  },
};
