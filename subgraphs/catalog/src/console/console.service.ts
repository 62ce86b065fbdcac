import { isUuid, notFound, validationError, type RequestContext } from '@cockpit/kit';
import { resolveEffective, subjectKey, type Subject } from '../grants/effective';
import type { GrantScopeType } from '../grants/grant.entity';
import { checkScope, type GrantScopeInput } from '../grants/grant.service';
import { Model } from '../models/model.entity';
import { ConsoleModelGrant } from './console.entity';
import { consoleRepository } from './console.repository';

/** The console effective set: the narrowest explicit console grant, else the whole policy (decidedBy POLICY). */
export interface EffectiveConsoleModels {
  decidedBy: GrantScopeType | 'POLICY';
  models: Model[];
}

const byName = (a: Model, b: Model) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const malformedModel = (ids: string[]) => {
  const bad = ids.find((id) => !isUuid(id));
  if (bad !== undefined) throw notFound(`Model ${bad}`);
};

/**
 * Replaces the console (BYOK) model policy of an account (CA4, super admin) and records
 * `account.console_model_policy.set` with what was added and removed, in one transaction. A
 * deprecated model may stay in the policy but may not be newly added. Models taken out leave
 * every console grant and effective set at once (grants are read through the policy).
 */
export async function setConsoleModelPolicy(ctx: RequestContext, accountId: string, modelIds: readonly string[]): Promise<Model[]> {
  const wanted = [...new Set(modelIds.map((id) => id.toLowerCase()))];
  malformedModel(wanted);
  return ctx.write(async ({ em, audit, unchanged }) => {
    await consoleRepository.lockPolicy(em, accountId);
    const models = wanted.length ? await em.find(Model, { id: { $in: wanted } }) : [];
    const found = new Map(models.map((m) => [m.id, m]));
    const missing = wanted.find((id) => !found.has(id));
    if (missing !== undefined) throw notFound(`Model ${missing}`);
    const had = new Set(await consoleRepository.policyModelIds(em, accountId));
    const added = wanted.filter((id) => !had.has(id));
    const removed = [...had].filter((id) => !found.has(id));
    const deprecated = added.filter((id) => found.get(id)!.status === 'DEPRECATED').map((id) => found.get(id)!.name);
    if (deprecated.length) throw validationError({ modelIds: `deprecated models cannot be added to the policy: ${deprecated.join(', ')}` });
    if (!added.length && !removed.length) return unchanged(models.sort(byName));
    await consoleRepository.changePolicy(em, accountId, added, removed);
    await audit({
      accountId,
      domain: 'CONSOLE',
      type: 'account.console_model_policy.set',
      subject: { type: 'Account', id: accountId },
      payload: { added, removed },
    });
    return models.sort(byName);
  });
}

/**
 * Replaces the explicit console grant of one scope of the CONSOLE tree (CA4) and records
 * `console_model_grant.set`, in one transaction. Unknown model → NOT_FOUND; a model outside the
 * account's console policy, or a scope of the COPILOT tree → VALIDATION_ERROR.
 */
export async function setConsoleModelGrant(
  ctx: RequestContext,
  accountId: string,
  scopeIn: GrantScopeInput,
  modelIds: readonly string[],
): Promise<ConsoleModelGrant> {
  const wanted = [...new Set(modelIds.map((id) => id.toLowerCase()))];
  malformedModel(wanted);
  const scope = await checkScope(ctx, accountId, scopeIn, 'CONSOLE');
  return ctx.write(async ({ em, audit, unchanged }) => {
    // the policy lock: a concurrent withdrawal cannot slip between the check and the grant
    await consoleRepository.lockPolicy(em, accountId);
    const models = wanted.length ? await em.find(Model, { id: { $in: wanted } }) : [];
    const missing = wanted.find((id) => !models.some((m) => m.id === id));
    if (missing !== undefined) throw notFound(`Model ${missing}`);
    const policy = new Set(await consoleRepository.policyModelIds(em, accountId));
    const outside = models.filter((m) => !policy.has(m.id)).map((m) => m.name);
    if (outside.length) throw validationError({ modelIds: `not in the account's console model policy: ${outside.sort().join(', ')}` });
    const existing = await consoleRepository.find(em, accountId, scope.id);
    const sorted = [...wanted].sort();
    const before = existing ? [...existing.modelIds].sort() : null;
    if (existing && before!.join() === sorted.join()) return unchanged(existing);
    const now = new Date();
    let grant: ConsoleModelGrant;
    if (existing) {
      existing.modelIds = sorted;
      existing.updatedAt = now;
      grant = existing;
    } else grant = em.create(ConsoleModelGrant, { accountId, scopeId: scope.id, scopeType: scope.type, modelIds: sorted, updatedAt: now });
    await em.flush();
    await audit({
      domain: 'CONSOLE',
      type: 'console_model_grant.set',
      subject: { type: 'ConsoleModelGrant', id: scope.id },
      payload: { scopeType: scope.type, before, after: sorted },
    });
    return grant;
  });
}

/** Removes a CONSOLE scope's explicit grant so it inherits again; false (and no event) when it had none. */
export async function clearConsoleModelGrant(ctx: RequestContext, accountId: string, scopeIn: GrantScopeInput): Promise<boolean> {
  const scope = await checkScope(ctx, accountId, scopeIn, 'CONSOLE');
  return ctx.write(async ({ em, audit, unchanged }) => {
    const existing = await consoleRepository.find(em, accountId, scope.id);
    if (!existing) return unchanged(false);
    await consoleRepository.remove(em, accountId, scope.id);
    await audit({
      domain: 'CONSOLE',
      type: 'console_model_grant.cleared',
      subject: { type: 'ConsoleModelGrant', id: scope.id },
      payload: { scopeType: scope.type, before: [...existing.modelIds].sort() },
    });
    return true;
  });
}

/** The account's explicit console grants, account first, then orgs, teams and users. */
export async function listConsoleModelGrants(ctx: RequestContext, accountId: string): Promise<ConsoleModelGrant[]> {
  const order: Record<GrantScopeType, number> = { ACCOUNT: 0, ORG: 1, TEAM: 2, USER: 3 };
  const grants = await ctx.read((em) => consoleRepository.ofAccount(em, accountId));
  return grants.sort((a, b) => order[a.scopeType] - order[b.scopeType] || (a.scopeId < b.scopeId ? -1 : 1));
}

/** Each account's console policy models, by name: one statement per request (platform scope for a super admin). */
export function consolePolicyLoader(ctx: RequestContext) {
  return ctx.loader<string, Model[]>('consolePolicyByAccount', async (accountIds) => {
    const ids = accountIds.filter(isUuid);
    if (ids.length === 0) return accountIds.map(() => []);
    const scope = ctx.principal.superAdmin ? ctx.actingAs({ accountId: ctx.accountId, platform: true }) : ctx;
    const byAccount = await scope.read((em) => consoleRepository.policyModelsOf(em, ids));
    return accountIds.map((id) => byAccount.get(id) ?? []);
  });
}

/** The explicit console grant of each scope id (null: it inherits): one statement per batch. */
export function consoleGrantByScopeLoader(ctx: RequestContext, accountId: string) {
  return ctx.loader<string, ConsoleModelGrant | null>(`consoleGrantByScope:${accountId}`, async (ids) => {
    const valid = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
    const rows = valid.length ? await ctx.read((em) => consoleRepository.ofScopes(em, accountId, valid)) : [];
    const byId = new Map(rows.map((g) => [g.scopeId, g]));
    return ids.map((id) => (isUuid(id) ? (byId.get(id.toLowerCase()) ?? null) : null));
  });
}

/**
 * The console effective sets of many subjects of one account (CA4), batched: one statement for their
 * console grants and one for the policy, whatever the number of subjects. Same rule as the Copilot set
 * (user, else the union of teams, else orgs, else the account, else the whole policy), bounded by the
 * policy at read time.
 */
export function effectiveConsoleModelsLoader(ctx: RequestContext, accountId: string) {
  return ctx.loader<Subject, EffectiveConsoleModels, string>(
    `effectiveConsoleModels:${accountId}`,
    async (subjects) => {
      const scopeIds = new Set<string>([accountId]);
      for (const s of subjects)
        for (const id of [s.userId, ...s.teamIds, ...s.orgIds]) if (id && isUuid(id)) scopeIds.add(id.toLowerCase());
      const [grants, policy] = await Promise.all([
        ctx.read((em) => consoleRepository.ofScopes(em, accountId, [...scopeIds])),
        consolePolicyLoader(ctx).load(accountId),
      ]);
      return subjects.map((s) => {
        const set = resolveEffective(grants, policy, [], accountId, s);
        return { decidedBy: set.decidedBy === 'ELIGIBILITY' ? 'POLICY' : set.decidedBy, models: set.models.map((e) => e.model) };
      });
    },
    { cacheKeyFn: subjectKey },
  );
}
