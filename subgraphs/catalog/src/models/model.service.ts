import {
  byIdLoader,
  checkDecimals,
  decimalColumns,
  isUuid,
  normalizeDecimal,
  notFound,
  PLATFORM_ACCOUNT_ID,
  paginate,
  uniqueOrConflict,
  uuidv7,
  validationError,
  type Connection,
  type ConnectionArgs,
  type FieldDetails,
  type RequestContext,
} from '@cockpit/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Provider } from '../providers/provider.entity';
import { providerRepository } from '../providers/provider.repository';
import { Model, ModelPrice, type ModelKind, type ModelStatus } from './model.entity';
import { countModels, lockModel, modelsAfter, pricesOf, recordPrice, type ModelWhere } from './model.repository';

export interface CreateModelInput {
  providerId: string;
  name: string;
  displayName: string;
  kind: ModelKind;
  contextWindow?: number | null;
  inputPricePerMtok: string;
  outputPricePerMtok: string;
  status: ModelStatus;
}
export type UpdateModelInput = { [K in keyof CreateModelInput]?: CreateModelInput[K] | null };
export interface ModelFilter {
  providerId?: string | null;
  kind?: ModelKind | null;
  status?: ModelStatus | null;
}

export type ModelConnection = Connection<Model>;

const PRICES = new Set<string>(['inputPricePerMtok', 'outputPricePerMtok']);
/** numeric(30,10), never negative ("-0" is harmless, "-0.5" is not). */
const PRICE_COLUMNS = decimalColumns(Model, { inputPricePerMtok: 'zero', outputPricePerMtok: 'zero' });
/** "2.50", "02.5" and "2.5000000000" are one price. */
const canonicalPrice = (s: string) => normalizeDecimal(s.replace(/^(-?)0+(?=\d)/, '$1'));

const SLUG_RE = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const FIELDS = ['providerId', 'name', 'displayName', 'kind', 'contextWindow', 'inputPricePerMtok', 'outputPricePerMtok', 'status'] as const;
/** Fields that may not be set to null on update (`contextWindow` may: null = not stated). */
const REQUIRED = FIELDS.filter((f) => f !== 'contextWindow');
const MAX_CONTEXT_WINDOW = 100_000_000;

/** Field rules shared by create and update; only the fields present are checked. */
function validate(input: UpdateModelInput, details: FieldDetails = {}): void {
  if (input.providerId != null && !isUuid(input.providerId)) details.providerId = 'must be a provider id';
  if (
    input.contextWindow != null &&
    (!Number.isInteger(input.contextWindow) || input.contextWindow < 1 || input.contextWindow > MAX_CONTEXT_WINDOW)
  ) {
    details.contextWindow = `must be a whole number of tokens from 1 to ${MAX_CONTEXT_WINDOW}`;
  }
  if (input.name != null && !SLUG_RE.test(input.name)) {
    details.name = 'must be a lowercase slug (a-z, 0-9, ".", "_", "-"), at most 100 characters';
  }
  if (input.displayName != null && (input.displayName.trim() === '' || input.displayName.length > 200)) {
    details.displayName = 'must be 1 to 200 characters';
  }
  checkDecimals(input, PRICE_COLUMNS, details);
  if (Object.keys(details).length) throw validationError(details);
}

/** Audit payloads spell prices one way ("10", not "10.0000000000") whatever the column scale. */
const auditValue = (field: string, v: unknown) => (PRICES.has(field) ? canonicalPrice(String(v)) : v);
const snapshot = (m: Model) => Object.fromEntries(FIELDS.map((f) => [f, auditValue(f, m[f])]));

/** The unique index on `name` decides, under concurrency too: its violation is CONFLICT naming the field. */
const uniqueName = <T>(name: string | null | undefined, run: () => Promise<T>): Promise<T> =>
  uniqueOrConflict(run, `A model named "${name}" already exists`, { name: 'already taken' });

/**
 * The provider a model is (re)attached to: NOT_FOUND for an unknown id, VALIDATION_ERROR for a
 * disabled one (its models stay, no model joins it).
 */
async function usableProvider(em: EntityManager, id: string): Promise<Provider> {
  const provider = await providerRepository.find(em, id.toLowerCase());
  if (!provider) throw notFound('Provider');
  if (provider.status !== 'ACTIVE') throw validationError({ providerId: 'provider is disabled' });
  return provider;
}

/** The price in force from `at`, as a history row. */
const priceRow = (m: Model, at: Date) =>
  ({ modelId: m.id, validFrom: at, inputPricePerMtok: m.inputPricePerMtok, outputPricePerMtok: m.outputPricePerMtok }) as ModelPrice;

/** Adds a catalog model with its first price, and records `model.created` on the platform chain, in one transaction. */
export function createModel(ctx: RequestContext, input: CreateModelInput): Promise<Model> {
  validate(input);
  return uniqueName(input.name, () =>
    ctx.write(async ({ em, audit }) => {
      await usableProvider(em, input.providerId);
      const now = new Date();
      const model = em.create(Model, {
        id: uuidv7(),
        ...input,
        providerId: input.providerId.toLowerCase(),
        contextWindow: input.contextWindow ?? null,
        displayName: input.displayName.trim(),
        createdAt: now,
        updatedAt: now,
      });
      await em.flush();
      await recordPrice(em, priceRow(model, now));
      await audit({
        accountId: PLATFORM_ACCOUNT_ID,
        domain: 'PLATFORM',
        type: 'model.created',
        subject: { type: 'Model', id: model.id },
        payload: { after: snapshot(model) },
      });
      return model;
    }),
  );
}

/**
 * Changes the given fields of a catalog model; the event carries only what changed. A price
 * change takes effect now and adds a history row, so costs charged before stay explainable.
 */
export function updateModel(ctx: RequestContext, id: string, input: UpdateModelInput): Promise<Model> {
  const details: FieldDetails = {};
  for (const f of REQUIRED) if (input[f] === null) details[f] = 'must not be null';
  validate(input, details);
  return uniqueName(input.name, () =>
    ctx.write(async ({ em, audit, unchanged }) => {
      const model = isUuid(id) ? await lockModel(em, id.toLowerCase()) : null;
      if (!model) throw notFound('Model');
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      for (const f of FIELDS) {
        const next = f === 'displayName' ? input[f]?.trim() : f === 'providerId' ? input[f]?.toLowerCase() : input[f];
        if (next === undefined || (next === null && f !== 'contextWindow') || sameValue(f, model[f], next)) continue;
        before[f] = auditValue(f, model[f]);
        after[f] = auditValue(f, next);
      }
      if (Object.keys(after).length === 0) return unchanged(model);
      if (after.providerId) await usableProvider(em, after.providerId as string);
      const now = new Date();
      em.assign(model, { ...after, updatedAt: now });
      await em.flush();
      if (PRICE_FIELDS.some((f) => f in after)) await recordPrice(em, priceRow(model, now));
      await audit({
        accountId: PLATFORM_ACCOUNT_ID,
        domain: 'PLATFORM',
        type: 'model.updated',
        subject: { type: 'Model', id: model.id },
        payload: { before, after },
      });
      return model;
    }),
  );
}

const PRICE_FIELDS = ['inputPricePerMtok', 'outputPricePerMtok'];

function sameValue(field: string, current: unknown, next: unknown): boolean {
  if (PRICES.has(field)) return canonicalPrice(String(current)) === canonicalPrice(String(next));
  return (current ?? null) === (next ?? null);
}

/** Keyset page of the catalog ordered by id (UUIDv7, so by creation); the count runs only if asked. */
export async function listModels(ctx: RequestContext, args: ConnectionArgs & { filter?: ModelFilter | null }): Promise<ModelConnection> {
  const where: ModelWhere = {};
  if (args.filter?.providerId != null) {
    if (!isUuid(args.filter.providerId)) return paginate(args, { rows: async () => [], key: (m: Model) => m.id, count: async () => 0 });
    where.providerId = args.filter.providerId.toLowerCase();
  }
  if (args.filter?.kind != null) where.kind = args.filter.kind;
  if (args.filter?.status != null) where.status = args.filter.status;
  return paginate(args, {
    rows: ({ after, take }) => ctx.read((em) => modelsAfter(em, where, after, take)),
    key: (m) => m.id,
    count: () => ctx.read((em) => countModels(em, where)),
  });
}

/** Batched catalog lookups by id; ids that are not UUIDs simply find nothing. */
export const modelLoader = (ctx: RequestContext) => byIdLoader(ctx, Model, 'model');

/** Every price of a model, newest first: one query for every model of the request. */
export function pricesLoader(ctx: RequestContext) {
  return ctx.loader<string, ModelPrice[]>('modelPrices', async (ids) => {
    const rows = await ctx.read((em) => pricesOf(em, [...new Set(ids)]));
    const byModel = new Map<string, ModelPrice[]>();
    for (const r of rows) byModel.set(r.modelId, [...(byModel.get(r.modelId) ?? []), r]);
    return ids.map((id) => byModel.get(id) ?? []);
  });
}

/** The price a model was charged at `at`: the newest row in force by then; null before the model existed. */
export async function priceAt(ctx: RequestContext, model: Model, at: Date): Promise<ModelPrice | null> {
  const prices = await pricesLoader(ctx).load(model.id);
  return prices.find((p) => p.validFrom.getTime() <= at.getTime()) ?? null;
}
