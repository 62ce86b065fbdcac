import { authorize, notFound, requireAccount, type RequestContext } from '@cockpit/kit';
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
    guardrailPresets: (_, args, ctx) => {
      const accountId = requireAccount(authorize(ctx.principal, 'guardrail.read'));
      return listPresets(ctx, accountId, args);
    },
    guardrailPreset: (_, { id }, ctx) => {
      authorize(ctx.principal, 'guardrail.read');
      return loadPreset(ctx, id);
    },
  },
  Mutation: {
    createGuardrailPreset: (_, { input }, ctx) => {
      const accountId = requireAccount(authorize(ctx.principal, 'guardrail.write'));
      return createPreset(ctx, accountId, input);
    },
    updateGuardrailPreset: (_, { id, input, expectedVersion }, ctx) => {
      const accountId = requireAccount(authorize(ctx.principal, 'guardrail.write'));
      return updatePreset(ctx, accountId, id, input, expectedVersion);
    },
    deleteGuardrailPreset: (_, { id }, ctx) => {
      const accountId = requireAccount(authorize(ctx.principal, 'guardrail.write'));
      return deletePreset(ctx, accountId, id);
    },
  },
  GuardrailPreset: {
    __resolveReference: (ref, ctx) => {
      authorize(ctx.principal, 'guardrail.read');
      return loadPreset(ctx, ref.id);
    },
  },
};
