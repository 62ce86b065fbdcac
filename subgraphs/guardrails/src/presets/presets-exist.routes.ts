import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { presetsExist, type PresetsExistAnswer } from '@cockpit/contracts';
import { inTenantTx, internalRoute, invalidRequest, type InternalRoute } from '@cockpit/kit';
import { GuardrailPreset } from './preset.entity';

/**
 * Catalog's check that an agent definition's presets exist (CA6): which of these ids are live presets
 * of the account. Only catalog may call it; it reads in that account's tenant transaction, so RLS
 * confines it to the account and another account's preset is absent like an unknown one.
 */
export function presetsExistRoutes(orm: MikroORM): Record<string, InternalRoute> {
  return {
    [presetsExist.path]: internalRoute(['catalog'], async (body) => {
      const parsed = presetsExist.request(body);
      if (!parsed.ok) throw invalidRequest(`Malformed request to ${presetsExist.path}`, parsed.problems);
      const accountId = parsed.value.accountId.toLowerCase();
      const ids = [...new Set(parsed.value.presetIds.map((id) => id.toLowerCase()))];
      if (!ids.length) return { existing: [] } satisfies PresetsExistAnswer;
      return inTenantTx(orm.em.fork() as EntityManager, { accountId, platform: false }, async (em): Promise<PresetsExistAnswer> => {
        const rows = await em.find(GuardrailPreset, { accountId, id: { $in: ids }, deletedAt: null }, { fields: ['id'] });
        return { existing: rows.map((r) => r.id) };
      });
    }),
  };
}
