import { LockMode, raw, type EntityManager } from '@mikro-orm/postgresql';
import { GuardrailPreset } from './preset.entity';

/** The ids of the account's live presets named `name` whatever the case, as the unique index (account_id, lower(name)) compares. */
export async function livePresetIdsNamed(em: EntityManager, accountId: string, name: string): Promise<string[]> {
  const rows = await em.find(
    GuardrailPreset,
    { accountId, deletedAt: null, [raw('lower(name)')]: raw('lower(?)', [name]) },
    { fields: ['id'] },
  );
  return rows.map((r) => r.id);
}

/** The account's live (not deleted) preset, locked for the rest of the transaction; null when there is none. */
export const lockLivePreset = (em: EntityManager, accountId: string, id: string): Promise<GuardrailPreset | null> =>
  em.findOne(GuardrailPreset, { id, accountId, deletedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
