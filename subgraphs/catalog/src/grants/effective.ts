import { isUuid, type RequestContext } from '@cockpit/kit';
import type { ModelAlias } from '../aliases/alias.entity';
import { eligibleModelsLoader } from '../eligibility/eligibility.service';
import type { Model } from '../models/model.entity';
import type { GrantScopeType, ModelGrant } from './grant.entity';
import { grantRepository } from './grant.repository';

/** Whose effective set: a directory user's id with their teams and orgs (all empty: the account itself). */
export interface Subject {
  userId: string | null;
  teamIds: readonly string[];
  orgIds: readonly string[];
}

export interface EffectiveModel {
  model: Model;
  /** The account's aliases of the model, by name. */
  aliases: string[];
}

export interface EffectiveModels {
  /** The narrowest scope with an explicit grant; ELIGIBILITY when none has one. */
  decidedBy: GrantScopeType | 'ELIGIBILITY';
  models: EffectiveModel[];
}

export const subjectKey = (s: Subject) => `${s.userId ?? ''}|${[...s.teamIds].sort().join(',')}|${[...s.orgIds].sort().join(',')}`;

/**
 * The effective set (CA3): the user's own grant if any, else the union of the grants of their
 * teams, else of their orgs, else the account's grant, else every eligible model — always
 * intersected with the account's eligible set at read time, so a model withdrawn from
 * eligibility leaves every effective set at once. Aliases (CA5) name their model's entry.
 */
export function resolveEffective(
  grants: Pick<ModelGrant, 'scopeId' | 'scopeType' | 'modelIds'>[],
  eligible: Model[],
  aliases: ModelAlias[],
  accountId: string,
  s: Subject,
): EffectiveModels {
  const byScope = new Map(grants.map((g) => [g.scopeId, g]));
  const levels: [GrantScopeType, readonly string[]][] = [
    ['USER', s.userId ? [s.userId] : []],
    ['TEAM', s.teamIds],
    ['ORG', s.orgIds],
    ['ACCOUNT', [accountId]],
  ];
  let decidedBy: EffectiveModels['decidedBy'] = 'ELIGIBILITY';
  let chosen: Set<string> | null = null;
  for (const [type, ids] of levels) {
    const found = ids.flatMap((id) => {
      const g = byScope.get(id);
      return g !== undefined && g.scopeType === type ? [g] : [];
    });
    if (found.length) {
      decidedBy = type;
      chosen = new Set(found.flatMap((g) => g.modelIds));
      break;
    }
  }
  const aliasesOf = new Map<string, string[]>();
  for (const a of aliases) aliasesOf.set(a.modelId, [...(aliasesOf.get(a.modelId) ?? []), a.alias]);
  const models = eligible.filter((m) => !chosen || chosen.has(m.id)).map((model) => ({ model, aliases: aliasesOf.get(model.id) ?? [] }));
  return { decidedBy, models };
}

/** Keeps the models an API key's allow-list names, by model name or alias (CA5); an empty list keeps all. */
export function narrowByAllowlist(set: EffectiveModels, allowlist: readonly string[] | null | undefined): EffectiveModels {
  if (!allowlist?.length) return set;
  const allowed = new Set(allowlist.map((n) => n.toLowerCase()));
  return { ...set, models: set.models.filter((e) => allowed.has(e.model.name) || e.aliases.some((a) => allowed.has(a))) };
}

/**
 * The effective sets of many subjects of one account, batched: one statement for their grants,
 * one for the account's aliases and the eligibility loader's two, whatever the number of subjects.
 */
export function effectiveModelsLoader(ctx: RequestContext, accountId: string) {
  return ctx.loader<Subject, EffectiveModels, string>(
    `effectiveModels:${accountId}`,
    async (subjects) => {
      const scopeIds = new Set<string>([accountId]);
      for (const s of subjects)
        for (const id of [s.userId, ...s.teamIds, ...s.orgIds]) if (id && isUuid(id)) scopeIds.add(id.toLowerCase());
      const [grants, aliases, eligible] = await Promise.all([
        ctx.read((em) => grantRepository.ofScopes(em, accountId, [...scopeIds])),
        aliasesLoader(ctx).load(accountId),
        eligibleModelsLoader(ctx).load(accountId),
      ]);
      return subjects.map((s) => resolveEffective(grants, eligible, aliases, accountId, s));
    },
    { cacheKeyFn: subjectKey },
  );
}

/** The account's aliases, by name: one statement per request. */
export function aliasesLoader(ctx: RequestContext) {
  return ctx.loader<string, ModelAlias[]>('aliasesByAccount', async (accountIds) =>
    Promise.all(accountIds.map((a) => ctx.read((em) => grantRepository.aliasesOf(em, a)))),
  );
}
