import {
  byIdLoader,
  isUuid,
  notFound,
  PLATFORM_ACCOUNT_ID,
  paginate,
  uniqueOrConflict,
  uuidv7,
  validationError,
  type Connection,
  changedFields,
  type ConnectionArgs,
  type FieldDetails,
  type RequestContext,
} from '@cockpit/kit';
import type { FilterQuery } from '@mikro-orm/postgresql';
import { Provider, type ProviderKind, type ProviderStatus } from './provider.entity';
import { providerRepository } from './provider.repository';

export interface CreateProviderInput {
  name: string;
  kind: ProviderKind;
  baseUrl?: string | null;
  status: ProviderStatus;
}
export interface UpdateProviderInput {
  name?: string | null;
  kind?: ProviderKind | null;
  /** null clears it (the kind's public endpoint); absent leaves it. */
  baseUrl?: string | null;
  status?: ProviderStatus | null;
}

const NAME_RE = /^[a-z0-9][a-z0-9._-]{0,49}$/;
/** Kinds with no public endpoint of their own: the deployment's URL is required. */
const NEEDS_URL = new Set<ProviderKind>(['AZURE_OPENAI', 'OPENAI_COMPATIBLE']);
const FIELDS = ['name', 'kind', 'baseUrl', 'status'] as const;

function checkUrl(url: string): string | null {
  if (url.length > 500) return 'must be at most 500 characters';
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'must be an http(s) URL';
    if (u.username || u.password) return 'must not carry credentials';
    return null;
  } catch {
    return 'must be an absolute http(s) URL';
  }
}

/** The state after the change must hold together: a kind that needs a URL has one. */
function validate(next: { name?: string | null; kind?: ProviderKind | null; baseUrl?: string | null }, details: FieldDetails): void {
  if (next.name != null && !NAME_RE.test(next.name))
    details.name = 'must be a lowercase slug (a-z, 0-9, ".", "_", "-"), at most 50 characters';
  if (next.baseUrl != null) {
    const problem = checkUrl(next.baseUrl);
    if (problem) details.baseUrl = problem;
  } else if (next.kind && NEEDS_URL.has(next.kind)) details.baseUrl = `is required for ${next.kind}`;
  if (Object.keys(details).length) throw validationError(details);
}

const snapshot = (p: Provider) => Object.fromEntries(FIELDS.map((f) => [f, p[f] ?? null]));
const uniqueName = <T>(name: string | null | undefined, run: () => Promise<T>) =>
  uniqueOrConflict(run, `A provider named "${name}" already exists`, { name: 'already taken' });

/** Adds a provider and records `provider.created` on the platform chain. */
export function createProvider(ctx: RequestContext, input: CreateProviderInput): Promise<Provider> {
  validate(input, {});
  return uniqueName(input.name, () =>
    ctx.write(async ({ em, audit }) => {
      const now = new Date();
      const provider = em.create(Provider, { id: uuidv7(), ...input, baseUrl: input.baseUrl ?? null, createdAt: now, updatedAt: now });
      await em.flush();
      await audit({
        accountId: PLATFORM_ACCOUNT_ID,
        domain: 'PLATFORM',
        type: 'provider.created',
        subject: { type: 'Provider', id: provider.id },
        payload: { after: snapshot(provider) },
      });
      return provider;
    }),
  );
}

/** Changes the given fields; the event carries only what changed. */
export function updateProvider(ctx: RequestContext, id: string, input: UpdateProviderInput): Promise<Provider> {
  const details: FieldDetails = {};
  for (const f of ['name', 'kind', 'status'] as const) if (input[f] === null) details[f] = 'must not be null';
  if (Object.keys(details).length) throw validationError(details);
  return uniqueName(input.name, () =>
    ctx.write(async ({ em, audit, unchanged }) => {
      const provider = isUuid(id) ? await providerRepository.lock(em, id.toLowerCase()) : null;
      if (!provider) throw notFound('Provider');
      const next = {
        name: input.name ?? provider.name,
        kind: input.kind ?? provider.kind,
        baseUrl: input.baseUrl === undefined ? provider.baseUrl : input.baseUrl,
        status: input.status ?? provider.status,
      };
      validate(next, {});
      const changed = changedFields(provider, next, FIELDS);
      if (!changed) return unchanged(provider);
      em.assign(provider, { ...next, updatedAt: new Date() });
      await em.flush();
      await audit({
        accountId: PLATFORM_ACCOUNT_ID,
        domain: 'PLATFORM',
        type: 'provider.updated',
        subject: { type: 'Provider', id: provider.id },
        payload: changed,
      });
      return provider;
    }),
  );
}

/** Keyset page of the providers by name; the count runs only if asked. */
export function listProviders(
  ctx: RequestContext,
  args: ConnectionArgs & { filter?: { kind?: ProviderKind | null; status?: ProviderStatus | null } | null },
): Promise<Connection<Provider>> {
  const where: FilterQuery<Provider> = {};
  if (args.filter?.kind != null) where.kind = args.filter.kind;
  if (args.filter?.status != null) where.status = args.filter.status;
  return paginate(args, {
    rows: ({ after, take }) => ctx.read((em) => providerRepository.after(em, where, after, take)),
    key: (p) => p.name,
    count: () => ctx.read((em) => providerRepository.count(em, where)),
  });
}

/** Batched provider lookups by id (a model's provider, in lists of any length: one query). */
export const providerLoader = (ctx: RequestContext) => byIdLoader(ctx, Provider, 'provider');
