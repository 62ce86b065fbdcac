import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  canonicalJson,
  conflict,
  isUuid,
  notFound,
  paginate,
  uuidv7,
  validationError,
  type Connection,
  type ConnectionArgs,
  type FieldDetails,
  type RequestContext,
} from '@cockpit/kit';
import { GuardrailPreset, type Severity } from './preset.entity';
import { livePresetIdsNamed, livePresetsAfter, lockLivePreset } from './preset.repository';
import { configProblems, descriptionProblems, nameProblems } from './preset.validation';

export interface CreatePresetInput {
  name: string;
  description?: string | null;
  config?: unknown;
  severity: Severity;
}
export interface UpdatePresetInput {
  name?: string | null;
  description?: string | null;
  config?: unknown;
  severity?: Severity | null;
}
export interface PresetFilter {
  severity?: Severity | null;
  search?: string | null;
}

export type PresetConnection = Connection<GuardrailPreset>;

const nameTaken = (name: string) => conflict(`A guardrail preset named "${name}" already exists`, { name: 'already taken' });

/** The partial unique index (account_id, lower(name)) has the last word over concurrent writers. */
async function uniqueName<T>(name: string | null | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw nameTaken(name ?? '');
    throw err;
  }
}

async function assertNameFree(em: EntityManager, accountId: string, name: string, exceptId?: string): Promise<void> {
  const ids = await livePresetIdsNamed(em, accountId, name);
  if (ids.some((id) => id !== exceptId)) throw nameTaken(name);
}

/** Live (not deleted) preset of the account, locked for the rest of the transaction. */
async function lockPreset(em: EntityManager, accountId: string, id: string): Promise<GuardrailPreset> {
  const preset = isUuid(id) ? await lockLivePreset(em, accountId, id) : null;
  if (!preset) throw notFound('GuardrailPreset');
  return preset;
}

/** Creates a preset at version 1 and records `guardrail_preset.created`, in one transaction. */
export function createPreset(ctx: RequestContext, accountId: string, input: CreatePresetInput): Promise<GuardrailPreset> {
  const details: FieldDetails = {};
  nameProblems(input.name, details);
  descriptionProblems(input.description ?? '', details);
  const config = input.config ?? {};
  configProblems(config, details);
  if (Object.keys(details).length) throw validationError(details);
  const name = input.name.trim();
  return uniqueName(name, () =>
    ctx.write(async ({ em, audit }) => {
      await assertNameFree(em, accountId, name);
      const now = new Date();
      const preset = em.create(GuardrailPreset, {
        id: uuidv7(),
        accountId,
        name,
        description: input.description ?? '',
        config: config as Record<string, unknown>,
        severity: input.severity,
        version: 1,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      });
      await em.flush();
      await audit({
        accountId,
        type: 'guardrail_preset.created',
        subject: { type: 'GuardrailPreset', id: preset.id },
        payload: { version: 1, after: { name, description: preset.description, config, severity: preset.severity } },
      });
      return preset;
    }),
  );
}

/**
 * Changes the given fields and bumps the version. With `expectedVersion` the
 * caller says which version it edited: a stale one is a CONFLICT, not a silent overwrite.
 * The row lock makes the check and the bump atomic. Nothing changed: no new version, no event.
 */
export function updatePreset(
  ctx: RequestContext,
  accountId: string,
  id: string,
  input: UpdatePresetInput,
  expectedVersion?: number | null,
): Promise<GuardrailPreset> {
  const details: FieldDetails = {};
  for (const f of ['name', 'config', 'severity'] as const) if (f in input && input[f] === null) details[f] = 'must not be null';
  if (input.name != null) nameProblems(input.name, details);
  if (input.description != null) descriptionProblems(input.description, details);
  if (input.config != null) configProblems(input.config, details);
  if (Object.keys(details).length) throw validationError(details);
  const next: Record<string, unknown> = {};
  if (input.name != null) next.name = input.name.trim();
  if (input.description !== undefined) next.description = input.description ?? '';
  if (input.config != null) next.config = input.config;
  if (input.severity != null) next.severity = input.severity;

  return uniqueName(next.name as string | undefined, () =>
    ctx.write(async ({ em, audit, unchanged }) => {
      const preset = await lockPreset(em, accountId, id);
      if (expectedVersion != null && expectedVersion !== preset.version) {
        throw conflict(`GuardrailPreset is at version ${preset.version}, not ${expectedVersion}`, {
          expectedVersion: `current version is ${preset.version}`,
        });
      }
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      for (const [f, v] of Object.entries(next)) {
        const current = preset[f as keyof GuardrailPreset];
        if (f === 'config' ? canonicalJson(current) === canonicalJson(v) : current === v) continue;
        before[f] = current;
        after[f] = v;
      }
      if (Object.keys(after).length === 0) return unchanged(preset);
      if (typeof after.name === 'string' && after.name.toLowerCase() !== preset.name.toLowerCase()) {
        await assertNameFree(em, accountId, after.name, preset.id);
      }
      em.assign(preset, { ...after, version: preset.version + 1, updatedAt: new Date() });
      await em.flush();
      await audit({
        accountId,
        type: 'guardrail_preset.updated',
        subject: { type: 'GuardrailPreset', id: preset.id },
        payload: { version: preset.version, before, after },
      });
      return preset;
    }),
  );
}

/** Soft delete: the row stays for the audit trail and references, the name is freed. */
export function deletePreset(ctx: RequestContext, accountId: string, id: string): Promise<boolean> {
  return ctx.write(async ({ em, audit }) => {
    const preset = await lockPreset(em, accountId, id);
    const now = new Date();
    em.assign(preset, { deletedAt: now, updatedAt: now, version: preset.version + 1 });
    await em.flush();
    await audit({
      accountId,
      type: 'guardrail_preset.deleted',
      subject: { type: 'GuardrailPreset', id: preset.id },
      payload: { version: preset.version, name: preset.name },
    });
    return true;
  });
}

/** `%`, `_` and `\` in a search are literal characters, not patterns. */
const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Keyset page of the account's live presets ordered by id (UUIDv7, so by creation). */
export async function listPresets(
  ctx: RequestContext,
  accountId: string,
  args: ConnectionArgs & { filter?: PresetFilter | null },
): Promise<PresetConnection> {
  const search = args.filter?.search?.trim();
  if (search && search.length > 100) throw validationError({ 'filter.search': 'must be at most 100 characters' });

  const where: Record<string, unknown> = { accountId, deletedAt: null };
  if (args.filter?.severity != null) where.severity = args.filter.severity;
  if (search) where.$or = [{ name: { $ilike: likePattern(search) } }, { description: { $ilike: likePattern(search) } }];
  return paginate(args, {
    rows: ({ after, take }) =>
      ctx.read((em) =>
        livePresetsAfter(em, accountId, { severity: args.filter?.severity, search: search ? likePattern(search) : null }, after, take),
      ),
    key: (r) => r.id,
    count: () => ctx.read((em) => em.count(GuardrailPreset, where)),
  });
}

/**
 * Batched lookups by id for root fields and entity references: one query per
 * request. Confined to the account the request acts on (and by RLS); a super
 * admin without an account sees every account's presets.
 */
export function presetLoader(ctx: RequestContext) {
  return ctx.loader<string, GuardrailPreset | null>('presetById', async (ids) => {
    const valid = ids.filter(isUuid);
    const accountId = ctx.principal.accountId;
    const rows = valid.length
      ? await ctx.read((em) => em.find(GuardrailPreset, { id: { $in: valid }, deletedAt: null, ...(accountId ? { accountId } : {}) }))
      : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}
