import { LockMode, raw, type EntityManager } from '@mikro-orm/postgresql';
import { selectEntities, tableOf } from '@cockpit/kit';
import { GuardrailPreset, type Severity } from './preset.entity';

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

/** Which live presets a list asks for; `search` is a LIKE pattern already escaped (`likePattern`). */
export interface PresetListFilter {
  severity?: Severity | null;
  search?: string | null;
}

/**
 * A keyset page of the account's live presets ordered by id: `take` presets after `after`. Prebuilt
 * SQL, rows mapped without the ORM's hydration (the dashboard's read path).
 */
export function livePresetsAfter(
  em: EntityManager,
  accountId: string,
  f: PresetListFilter,
  after: string | null,
  take: number,
): Promise<GuardrailPreset[]> {
  const where = ['account_id = ?', 'deleted_at is null'];
  const params: unknown[] = [accountId];
  const and = (cond: string, ...values: unknown[]) => {
    where.push(cond);
    params.push(...values);
  };
  if (f.severity != null) and('severity = ?', f.severity);
  if (f.search) and('(name ilike ? or description ilike ?)', f.search, f.search);
  if (after) and('id > ?', after);
  return selectEntities(
    em,
    GuardrailPreset,
    `select * from ${tableOf(em, GuardrailPreset)} where ${where.join(' and ')} order by id limit ?`,
    [...params, take],
  );
}
