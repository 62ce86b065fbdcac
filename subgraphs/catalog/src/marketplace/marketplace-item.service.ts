import type { EntityManager } from '@mikro-orm/postgresql';
import {
  byIdLoader,
  conflict,
  isUuid,
  notFound,
  paginate,
  requireUuid,
  uniqueOrConflict,
  uuidv7,
  validationError,
  type Connection,
  type ConnectionArgs,
  type FieldDetails,
  type RequestContext,
} from '@cockpit/kit';
import type { ScopeInput } from '../connections/connection.service';
import { nameProblems } from '../connections/connection.validation';
import { changeGrants, checkAccessScopes } from '../scope-grants/scope-grant.service';
import { MarketplaceItem, type MarketplaceItemKind, type MarketplaceItemStatus } from './marketplace-item.entity';
import { marketplaceItemRepository as repo, type ItemKey, type ItemListFilter } from './marketplace-item.repository';

export interface CreateMarketplaceItemInput {
  kind: MarketplaceItemKind;
  resourceId: string;
  name: string;
  description?: string | null;
  version: string;
  grants?: readonly ScopeInput[] | null;
}
export interface UpdateMarketplaceItemInput {
  name?: string | null;
  description?: string | null;
  version?: string | null;
}
export interface MarketplaceItemFilter {
  status?: MarketplaceItemStatus | null;
  kind?: MarketplaceItemKind | null;
  search?: string | null;
}

// semver.org 2.0.0's own expression: MAJOR.MINOR.PATCH, optional pre-release and build metadata
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const MAX_SEARCH = 100;
const RESOURCE_NAMES: Record<MarketplaceItemKind, string> = { AGENT: 'AgentDefinition', CONNECTION: 'ToolConnection' };

/** What an audit event shows of an item. */
const snapshot = (m: MarketplaceItem) => ({
  kind: m.kind,
  resourceId: m.resourceId,
  name: m.name,
  description: m.description,
  version: m.version,
  status: m.status,
  publishedAt: m.publishedAt?.toISOString() ?? null,
});

function itemProblems(input: UpdateMarketplaceItemInput, p: FieldDetails) {
  if (input.name != null) nameProblems(input.name, p);
  if (input.description != null && input.description.length > 2000) p.description = 'must be at most 2,000 characters';
  if (input.version != null && (input.version.length > 100 || !SEMVER.test(input.version)))
    p.version = 'must be a semantic version (MAJOR.MINOR.PATCH, e.g. 1.0.0 or 2.1.0-beta.1), at most 100 characters';
}

const nameTaken = (run: () => Promise<MarketplaceItem>, name: string) =>
  uniqueOrConflict(run, `A marketplace item named "${name}" already exists`, { name: 'already taken' });

async function lockItem(em: EntityManager, accountId: string, id: string): Promise<MarketplaceItem> {
  const m = isUuid(id) ? await repo.lock(em, accountId, id.toLowerCase()) : null;
  if (!m) throw notFound('MarketplaceItem');
  return m;
}

/** An archived item is final: CONFLICT for any change. */
function notArchived(m: MarketplaceItem) {
  if (m.status === 'ARCHIVED') throw conflict('An archived marketplace item cannot be changed', { id: 'is ARCHIVED' });
}

async function requireResource(em: EntityManager, accountId: string, kind: MarketplaceItemKind, id: string) {
  if (!(await repo.resourceExists(em, accountId, kind, id))) throw notFound(RESOURCE_NAMES[kind]);
}

/**
 * Lists one of the account's agent definitions or tool connections in the marketplace (CA8) as a
 * DRAFT, with its grants, recording `marketplace_item.created`. NOT_FOUND for an unknown or another
 * account's resource or grant scope; VALIDATION_ERROR for a bad name, description or version.
 */
export async function createMarketplaceItem(
  ctx: RequestContext,
  accountId: string,
  input: CreateMarketplaceItemInput,
): Promise<MarketplaceItem> {
  const p: FieldDetails = {};
  nameProblems(input.name, p);
  itemProblems({ description: input.description, version: input.version }, p);
  if (Object.keys(p).length) throw validationError(p);
  const resourceId = requireUuid(input.resourceId, RESOURCE_NAMES[input.kind]);
  const scopes = await checkAccessScopes(ctx, accountId, input.grants ?? []);
  const name = input.name.trim();
  return nameTaken(
    () =>
      ctx.write(async ({ em, audit }) => {
        await requireResource(em, accountId, input.kind, resourceId);
        const now = new Date();
        const m = em.create(MarketplaceItem, {
          id: uuidv7(),
          accountId,
          kind: input.kind,
          resourceId,
          name,
          description: input.description ?? '',
          version: input.version,
          status: 'DRAFT',
          publishedAt: null,
          createdBy: ctx.principal.userId ?? ctx.principal.subject ?? null,
          createdAt: now,
          updatedAt: now,
        });
        await em.flush();
        const { after } = await changeGrants(em, accountId, 'MARKETPLACE_ITEM', m.id, 'replace', scopes);
        await audit({
          type: 'marketplace_item.created',
          subject: { type: 'MarketplaceItem', id: m.id },
          payload: { after: { ...snapshot(m), grants: after } },
        });
        return m;
      }),
    name,
  );
}

/** Changes an item's name, description or version (`marketplace_item.updated`); the same values record nothing. */
export async function updateMarketplaceItem(
  ctx: RequestContext,
  accountId: string,
  id: string,
  input: UpdateMarketplaceItemInput,
): Promise<MarketplaceItem> {
  const p: FieldDetails = {};
  itemProblems(input, p);
  if (Object.keys(p).length) throw validationError(p);
  const name = input.name?.trim();
  return nameTaken(
    () =>
      ctx.write(async ({ em, audit, unchanged }) => {
        const m = await lockItem(em, accountId, id);
        notArchived(m);
        const before = snapshot(m);
        if (name != null) m.name = name;
        if (input.description != null) m.description = input.description;
        if (input.version != null) m.version = input.version;
        const after = snapshot(m);
        if (JSON.stringify(before) === JSON.stringify(after)) return unchanged(m);
        m.updatedAt = new Date();
        await em.flush();
        await audit({ type: 'marketplace_item.updated', subject: { type: 'MarketplaceItem', id: m.id }, payload: { before, after } });
        return m;
      }),
    name ?? '',
  );
}

export interface Transition {
  to: MarketplaceItemStatus;
  from: readonly MarketplaceItemStatus[];
  event: 'marketplace_item.published' | 'marketplace_item.unpublished' | 'marketplace_item.archived';
  verb: string;
}

export const PUBLISH: Transition = {
  to: 'PUBLISHED',
  from: ['DRAFT', 'UNPUBLISHED'],
  event: 'marketplace_item.published',
  verb: 'published',
};
export const UNPUBLISH: Transition = { to: 'UNPUBLISHED', from: ['PUBLISHED'], event: 'marketplace_item.unpublished', verb: 'unpublished' };
export const ARCHIVE: Transition = {
  to: 'ARCHIVED',
  from: ['DRAFT', 'PUBLISHED', 'UNPUBLISHED'],
  event: 'marketplace_item.archived',
  verb: 'archived',
};

/**
 * Moves an item along its life (DRAFT → PUBLISHED ⇄ UNPUBLISHED, any → ARCHIVED), recording the
 * transition's event. Asking for the status it already has changes nothing; any other move not in
 * `t.from` is CONFLICT. Publishing needs the listed agent or connection (NOT_FOUND once deleted).
 */
export async function transitionMarketplaceItem(
  ctx: RequestContext,
  accountId: string,
  id: string,
  t: Transition,
): Promise<MarketplaceItem> {
  return ctx.write(async ({ em, audit, unchanged }) => {
    const m = await lockItem(em, accountId, id);
    if (m.status === t.to) return unchanged(m);
    if (!t.from.includes(m.status))
      throw conflict(`A ${m.status.toLowerCase()} marketplace item cannot be ${t.verb}`, { id: `is ${m.status}` });
    if (t.to === 'PUBLISHED') await requireResource(em, accountId, m.kind, m.resourceId);
    const before = snapshot(m);
    const now = new Date();
    m.status = t.to;
    if (t.to === 'PUBLISHED') m.publishedAt = now;
    m.updatedAt = now;
    await em.flush();
    await audit({ type: t.event, subject: { type: 'MarketplaceItem', id: m.id }, payload: { before, after: snapshot(m) } });
    return m;
  });
}

/** Replaces, adds or removes an item's grants (`marketplace_item.grants_changed`); an unchanged list records nothing. */
export async function changeMarketplaceItemGrants(
  ctx: RequestContext,
  accountId: string,
  id: string,
  mode: 'replace' | 'add' | 'remove',
  scopesIn: readonly ScopeInput[],
): Promise<MarketplaceItem> {
  const scopes = await checkAccessScopes(ctx, accountId, scopesIn, 'scopes');
  return ctx.write(async ({ em, audit, unchanged }) => {
    const m = await lockItem(em, accountId, id);
    notArchived(m);
    const { before, after } = await changeGrants(em, accountId, 'MARKETPLACE_ITEM', m.id, mode, scopes);
    if (before.join() === after.join()) return unchanged(m);
    await audit({ type: 'marketplace_item.grants_changed', subject: { type: 'MarketplaceItem', id: m.id }, payload: { before, after } });
    return m;
  });
}

// ── lists ───────────────────────────────────────────────────────────────────────────────────────────

/** A list's cursor key: the item's name and id as JSON, so the next page starts after (lower(name), id). */
const keyOf = (m: MarketplaceItem) => JSON.stringify([m.name, m.id]);
function parseKey(key: string): ItemKey | null {
  try {
    const v: unknown = JSON.parse(key);
    if (!Array.isArray(v) || v.length !== 2) return null;
    const [name, id] = v as unknown[];
    return typeof name === 'string' && name.length >= 1 && name.length <= 100 && isUuid(id) ? { name, id: id.toLowerCase() } : null;
  } catch {
    return null;
  }
}
const isItemKey = (key: string) => parseKey(key) !== null;

/** `%`, `_` and `\` in a search are literal characters, not patterns. */
const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function searchPattern(search: string | null | undefined, field: string): string | null {
  const s = search?.trim();
  if (!s) return null;
  if (s.length > MAX_SEARCH) throw validationError({ [field]: `must be at most ${MAX_SEARCH} characters` });
  return likePattern(s);
}

function pageOf(ctx: RequestContext, accountId: string, args: ConnectionArgs, f: ItemListFilter | null) {
  return paginate(args, {
    rows: ({ after, take }) =>
      f ? ctx.read((em) => repo.page(em, accountId, f, after === null ? null : parseKey(after), take)) : Promise.resolve([]),
    key: keyOf,
    count: () => (f ? ctx.read((em) => repo.count(em, accountId, f)) : Promise.resolve(0)),
    cursor: isItemKey,
  });
}

/** Keyset page of the account's items (every status) by (lower(name), id); the count runs only if asked. */
export function listMarketplaceItems(
  ctx: RequestContext,
  accountId: string,
  args: ConnectionArgs & { filter?: MarketplaceItemFilter | null },
): Promise<Connection<MarketplaceItem>> {
  const search = searchPattern(args.filter?.search, 'filter.search');
  return pageOf(ctx, accountId, args, { status: args.filter?.status, kind: args.filter?.kind, search });
}

/**
 * The marketplace as the caller sees it: PUBLISHED items granted to the principal's directory user,
 * their teams or their orgs (as the agents a user may use), whose agent or connection still exists,
 * by (lower(name), id). A credential bound to no directory user sees none.
 */
export function discoverMarketplace(
  ctx: RequestContext,
  accountId: string,
  args: ConnectionArgs & { search?: string | null; kind?: MarketplaceItemKind | null },
): Promise<Connection<MarketplaceItem>> {
  const search = searchPattern(args.search, 'search');
  const p = ctx.principal;
  const grantedTo = [
    ...new Set([p.userId, ...p.teamIds, ...p.orgIds].filter((x): x is string => !!x && isUuid(x)).map((x) => x.toLowerCase())),
  ];
  return pageOf(ctx, accountId, args, grantedTo.length ? { kind: args.kind, search, grantedTo } : null);
}

/** Items by id in the request's account (RLS); null for unknown and other accounts' ids. One statement per batch. */
export const marketplaceItemLoader = (ctx: RequestContext) => byIdLoader(ctx, MarketplaceItem, 'marketplaceItem');
