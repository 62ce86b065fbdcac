import { isUuid, notFound, validationError, type RequestContext } from '@cockpit/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { directoryScopesOf } from '../directory/directory.client';
import { ScopeGrant, type AccessScopeType, type ResourceKind } from './scope-grant.entity';

export interface AccessScope {
  type: AccessScopeType;
  id: string;
}

/** Whose resources: a directory user's id with their teams and orgs. */
export interface AccessSubject {
  userId: string | null;
  teamIds: readonly string[];
  orgIds: readonly string[];
}

const NAMES: Record<AccessScopeType, string> = { ORG: 'Org', TEAM: 'Team', USER: 'User' };
export const MAX_GRANTS = 200;

/**
 * The scopes of a grant list, checked against identity's directory in one call before any
 * transaction opens: each org, team or user must exist in the account (NOT_FOUND otherwise, another
 * account's id included) and belong to the COPILOT tree (VALIDATION_ERROR). Duplicates collapse.
 */
export async function checkAccessScopes(
  ctx: RequestContext,
  accountId: string,
  scopes: readonly { type: AccessScopeType; id: string }[],
  field = 'grants',
): Promise<AccessScope[]> {
  if (scopes.length > MAX_GRANTS) throw validationError({ [field]: `at most ${MAX_GRANTS}` });
  const wanted = new Map<string, AccessScope>();
  for (const s of scopes) {
    if (!isUuid(s.id)) throw notFound(NAMES[s.type]);
    wanted.set(s.id.toLowerCase(), { type: s.type, id: s.id.toLowerCase() });
  }
  if (!wanted.size) return [];
  const of = (t: AccessScopeType) => [...wanted.values()].filter((s) => s.type === t).map((s) => s.id);
  const found = await directoryScopesOf(ctx, accountId, { orgIds: of('ORG'), teamIds: of('TEAM'), userIds: of('USER') });
  const hits = new Map<string, { domain: string; type: AccessScopeType }>([
    ...found.orgs.map((o): [string, { domain: string; type: AccessScopeType }] => [o.id, { domain: o.domain, type: 'ORG' }]),
    ...found.teams.map((t): [string, { domain: string; type: AccessScopeType }] => [t.id, { domain: t.domain, type: 'TEAM' }]),
    ...found.users.map((u): [string, { domain: string; type: AccessScopeType }] => [u.id, { domain: u.domain, type: 'USER' }]),
  ]);
  for (const s of wanted.values()) {
    const hit = hits.get(s.id);
    if (!hit || hit.type !== s.type) throw notFound(NAMES[s.type]);
    if (hit.domain !== 'COPILOT')
      throw validationError({ [field]: `${NAMES[s.type]} ${s.id} is in the ${hit.domain} directory; grants apply to the COPILOT tree` });
  }
  return [...wanted.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** A grant list as audit payloads and answers show it: `TYPE:id`, sorted. */
export const grantList = (grants: readonly { scopeType: AccessScopeType; scopeId: string }[]) =>
  grants.map((g) => `${g.scopeType}:${g.scopeId}`).sort();

/** The grants of one resource, in the caller's transaction. */
export const grantsOf = (em: EntityManager, accountId: string, kind: ResourceKind, resourceId: string) =>
  em.find(ScopeGrant, { accountId, resourceKind: kind, resourceId }, { orderBy: { scopeType: 'asc', scopeId: 'asc' } });

/**
 * Changes a resource's grants in the caller's transaction: `replace` sets exactly these scopes,
 * `add` and `remove` change only the named ones. Returns the grant lists before and after.
 */
export async function changeGrants(
  em: EntityManager,
  accountId: string,
  kind: ResourceKind,
  resourceId: string,
  mode: 'replace' | 'add' | 'remove',
  scopes: readonly AccessScope[],
): Promise<{ before: string[]; after: string[] }> {
  const existing = await grantsOf(em, accountId, kind, resourceId);
  const before = grantList(existing);
  const have = new Set(existing.map((g) => g.scopeId));
  const named = new Set(scopes.map((s) => s.id));
  const drop =
    mode === 'add' ? [] : existing.filter((g) => (mode === 'replace' ? !named.has(g.scopeId) : named.has(g.scopeId))).map((g) => g.scopeId);
  const now = new Date();
  if (drop.length) await em.nativeDelete(ScopeGrant, { accountId, resourceKind: kind, resourceId, scopeId: { $in: drop } });
  if (mode !== 'remove')
    for (const s of scopes)
      if (!have.has(s.id))
        em.create(ScopeGrant, { accountId, resourceKind: kind, resourceId, scopeId: s.id, scopeType: s.type, createdAt: now });
  await em.flush();
  const dropped = new Set(drop);
  const after = grantList([
    ...existing.filter((g) => !dropped.has(g.scopeId)),
    ...(mode === 'remove' ? [] : scopes.filter((s) => !have.has(s.id)).map((s) => ({ scopeType: s.type, scopeId: s.id }))),
  ]);
  return { before, after };
}

/** Removes every grant of a resource (it is being deleted), in the caller's transaction. */
export const dropGrants = (em: EntityManager, accountId: string, kind: ResourceKind, resourceId: string) =>
  em.nativeDelete(ScopeGrant, { accountId, resourceKind: kind, resourceId });

/** The grants of each resource of one kind, by resource id: one statement per batch. */
export function grantsByResourceLoader(ctx: RequestContext, kind: ResourceKind) {
  return ctx.loader<string, ScopeGrant[]>(`scopeGrants:${kind}:${ctx.accountId ?? ''}`, async (ids) => {
    const rows = await ctx.read((em) =>
      em.find(
        ScopeGrant,
        { resourceKind: kind, resourceId: { $in: [...new Set(ids)] } },
        { orderBy: { scopeType: 'asc', scopeId: 'asc' } },
      ),
    );
    return ids.map((id) => rows.filter((g) => g.resourceId === id));
  });
}

const subjectKey = (s: AccessSubject) => `${s.userId ?? ''}|${[...s.teamIds].sort().join(',')}|${[...s.orgIds].sort().join(',')}`;

/**
 * The ids of the resources of one kind each subject may use: granted to the user, any of their
 * teams or any of their orgs (a union). One statement for the whole batch of subjects.
 */
export function resourcesOfSubjectsLoader(ctx: RequestContext, accountId: string, kind: ResourceKind) {
  return ctx.loader<AccessSubject, string[], string>(
    `resourcesOf:${kind}:${accountId}`,
    async (subjects) => {
      const scopeIds = new Set<string>();
      for (const s of subjects)
        for (const id of [s.userId, ...s.teamIds, ...s.orgIds]) if (id && isUuid(id)) scopeIds.add(id.toLowerCase());
      const rows = scopeIds.size
        ? await ctx.read((em) => em.find(ScopeGrant, { accountId, resourceKind: kind, scopeId: { $in: [...scopeIds] } }))
        : [];
      return subjects.map((s) => {
        const mine = new Set([s.userId, ...s.teamIds, ...s.orgIds].filter((x): x is string => !!x).map((x) => x.toLowerCase()));
        return [...new Set(rows.filter((g) => mine.has(g.scopeId)).map((g) => g.resourceId))];
      });
    },
    { cacheKeyFn: subjectKey },
  );
}
