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
import { Model, type ModelKind, type ModelStatus } from './model.entity';
import { countModels, lockModel, modelsAfter, type ModelWhere } from './model.repository';

export interface CreateModelInput {
  provider: string;
  name: string;
  displayName: string;
  kind: ModelKind;
  inputPricePerMtok: string;
  outputPricePerMtok: string;
  status: ModelStatus;
}
export type UpdateModelInput = { [K in keyof CreateModelInput]?: CreateModelInput[K] | null };
export interface ModelFilter {
  provider?: string | null;
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
const PROVIDER_RE = /^[a-z0-9][a-z0-9._-]{0,49}$/;
const FIELDS = ['provider', 'name', 'displayName', 'kind', 'inputPricePerMtok', 'outputPricePerMtok', 'status'] as const;

/** Field rules shared by create and update; only the fields present are checked. */
function validate(input: UpdateModelInput, details: FieldDetails = {}): void {
  if (input.provider != null && !PROVIDER_RE.test(input.provider)) {
    details.provider = 'must be a lowercase slug (a-z, 0-9, ".", "_", "-"), at most 50 characters';
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

/** Adds a catalog model and records `model.created` on the platform chain, in one transaction. */
export function createModel(ctx: RequestContext, input: CreateModelInput): Promise<Model> {
  validate(input);
  return uniqueName(input.name, () =>
    ctx.write(async ({ em, audit }) => {
      const now = new Date();
      const model = em.create(Model, { id: uuidv7(), ...input, displayName: input.displayName.trim(), createdAt: now, updatedAt: now });
      await em.flush();
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

/** Changes the given fields of a catalog model; the event carries only what changed. */
export function updateModel(ctx: RequestContext, id: string, input: UpdateModelInput): Promise<Model> {
  const details: FieldDetails = {};
  for (const f of FIELDS) if (input[f] === null) details[f] = 'must not be null';
  validate(input, details);
  return uniqueName(input.name, () =>
    ctx.write(async ({ em, audit, unchanged }) => {
      const model = isUuid(id) ? await lockModel(em, id.toLowerCase()) : null;
      if (!model) throw notFound('Model');
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      for (const f of FIELDS) {
        const next = f === 'displayName' ? input[f]?.trim() : input[f];
        if (next == null || sameValue(f, model[f], next)) continue;
        before[f] = auditValue(f, model[f]);
        after[f] = auditValue(f, next);
      }
      if (Object.keys(after).length === 0) return unchanged(model);
      em.assign(model, { ...after, updatedAt: new Date() });
      await em.flush();
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

function sameValue(field: string, current: unknown, next: unknown): boolean {
  if (PRICES.has(field)) return canonicalPrice(String(current)) === canonicalPrice(String(next));
  return current === next;
}

/** Keyset page of the catalog ordered by id (UUIDv7, so by creation); the count runs only if asked. */
export async function listModels(ctx: RequestContext, args: ConnectionArgs & { filter?: ModelFilter | null }): Promise<ModelConnection> {
  const where: ModelWhere = {};
  if (args.filter?.provider != null) where.provider = args.filter.provider;
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
