import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { presetsExist, type PresetsExistAnswer } from '@cockpit/contracts';
import { CockpitError, conflict, isUuid, notFound, uuidv7, validationError, type FieldDetails, type RequestContext } from '@cockpit/kit';
import { ToolConnection } from '../connections/connection.entity';
import { nameProblems } from '../connections/connection.validation';
import { effectiveModelsLoader, narrowByAllowlist } from '../grants/effective';
import { changeGrants, checkAccessScopes, dropGrants, grantList, grantsOf } from '../scope-grants/scope-grant.service';
import type { ScopeInput } from '../connections/connection.service';
import { AgentDefinition } from './agent.entity';

export interface CreateAgentInput {
  name: string;
  description?: string | null;
  instructions?: string | null;
  defaultModelId: string;
  connectionIds?: readonly string[] | null;
  guardrailPresetIds: readonly string[];
  grants?: readonly ScopeInput[] | null;
}
export interface UpdateAgentInput {
  name?: string | null;
  description?: string | null;
  instructions?: string | null;
  defaultModelId?: string | null;
  connectionIds?: readonly string[] | null;
  guardrailPresetIds: readonly string[];
  grants?: readonly ScopeInput[] | null;
}

const MAX_PRESETS = 20;
const MAX_TOOLS = 50;

const snapshot = (a: AgentDefinition, grants: string[]) => ({
  name: a.name,
  description: a.description,
  defaultModelId: a.defaultModelId,
  connectionIds: [...a.connectionIds],
  guardrailPresetIds: [...a.guardrailPresetIds],
  instructionsLength: a.instructions.length,
  grants,
});

const dedupe = (ids: readonly string[]) => [...new Set(ids.map((i) => i.toLowerCase()))];

function textProblems(input: { description?: string | null; instructions?: string | null }, p: FieldDetails) {
  if (input.description != null && input.description.length > 2000) p.description = 'must be at most 2,000 characters';
  if (input.instructions != null && input.instructions.length > 100_000) p.instructions = 'must be at most 100,000 characters';
}

/** At least one preset (VALIDATION_ERROR), each a live preset of the account: guardrails answers which exist (one internal call). */
async function checkPresets(ctx: RequestContext, accountId: string, ids: readonly string[]): Promise<string[]> {
  const wanted = dedupe(ids);
  if (!wanted.length) throw validationError({ guardrailPresetIds: 'at least one guardrail preset is required' });
  if (wanted.length > MAX_PRESETS) throw validationError({ guardrailPresetIds: `at most ${MAX_PRESETS}` });
  const malformed = wanted.find((id) => !isUuid(id));
  if (malformed !== undefined) throw notFound('GuardrailPreset');
  const answer = await ctx.callService<unknown>('guardrails', presetsExist.path, { accountId, presetIds: wanted });
  const parsed = presetsExist.answer(answer);
  if (!parsed.ok) throw new CockpitError('UPSTREAM_ERROR', 'guardrails answered a malformed preset check');
  const found = new Set((parsed.value as PresetsExistAnswer).existing.map((i) => i.toLowerCase()));
  const missing = wanted.find((id) => !found.has(id));
  if (missing !== undefined) throw notFound(`GuardrailPreset ${missing}`);
  return wanted;
}

/** The default model must be in the creator's effective set (CA3: their user, teams and orgs, narrowed by their key's allow-list). */
async function checkDefaultModel(ctx: RequestContext, accountId: string, modelId: string): Promise<string> {
  if (!isUuid(modelId)) throw notFound('Model');
  const id = modelId.toLowerCase();
  const p = ctx.principal;
  const set = narrowByAllowlist(
    await effectiveModelsLoader(ctx, accountId).load({ userId: p.userId ?? null, teamIds: p.teamIds, orgIds: p.orgIds }),
    p.modelAllowlist,
  );
  if (!set.models.some((e) => e.model.id === id)) throw validationError({ defaultModelId: 'is not in your effective model set' });
  return id;
}

/** The tools: the account's connections, NOT_FOUND naming the first unknown one (another account's included). */
async function checkTools(em: EntityManager, accountId: string, ids: readonly string[]): Promise<string[]> {
  const wanted = dedupe(ids);
  if (wanted.length > MAX_TOOLS) throw validationError({ connectionIds: `at most ${MAX_TOOLS}` });
  const malformed = wanted.find((id) => !isUuid(id));
  if (malformed !== undefined) throw notFound('ToolConnection');
  const rows = wanted.length ? await em.find(ToolConnection, { accountId, id: { $in: wanted } }, { fields: ['id'] }) : [];
  const found = new Set(rows.map((r) => r.id));
  const missing = wanted.find((id) => !found.has(id));
  if (missing !== undefined) throw notFound(`ToolConnection ${missing}`);
  return wanted;
}

async function uniqueName<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException)
      throw conflict(`An agent named "${name}" already exists`, { name: 'already taken' });
    throw err;
  }
}

/**
 * Creates an agent definition (CA6) and, optionally, its grants, recording `agent_definition.created`.
 * VALIDATION_ERROR without a guardrail preset or for a default model outside the creator's effective
 * set; NOT_FOUND for an unknown preset, model, connection or grant scope (another account's included).
 */
export async function createAgent(ctx: RequestContext, accountId: string, input: CreateAgentInput): Promise<AgentDefinition> {
  const p: FieldDetails = {};
  nameProblems(input.name, p);
  textProblems(input, p);
  if (Object.keys(p).length) throw validationError(p);
  const presetIds = await checkPresets(ctx, accountId, input.guardrailPresetIds);
  const defaultModelId = await checkDefaultModel(ctx, accountId, input.defaultModelId);
  const scopes = await checkAccessScopes(ctx, accountId, input.grants ?? []);
  const name = input.name.trim();
  return uniqueName(name, () =>
    ctx.write(async ({ em, audit }) => {
      const connectionIds = await checkTools(em, accountId, input.connectionIds ?? []);
      const now = new Date();
      const a = em.create(AgentDefinition, {
        id: uuidv7(),
        accountId,
        name,
        description: input.description ?? '',
        instructions: input.instructions ?? '',
        defaultModelId,
        connectionIds,
        guardrailPresetIds: presetIds,
        createdBy: ctx.principal.userId ?? ctx.principal.subject ?? null,
        createdAt: now,
        updatedAt: now,
      });
      await em.flush();
      const { after } = await changeGrants(em, accountId, 'AGENT', a.id, 'replace', scopes);
      await audit({
        type: 'agent_definition.created',
        subject: { type: 'AgentDefinition', id: a.id },
        payload: { after: snapshot(a, after) },
      });
      return a;
    }),
  );
}

async function lockAgent(em: EntityManager, accountId: string, id: string): Promise<AgentDefinition> {
  const a = isUuid(id)
    ? await em.findOne(AgentDefinition, { id: id.toLowerCase(), accountId }, { lockMode: LockMode.PESSIMISTIC_WRITE })
    : null;
  if (!a) throw notFound('AgentDefinition');
  return a;
}

/**
 * Changes an agent definition: the fields given, the presets always (at least one, as on create),
 * `grants` replacing its grants when given. Records `agent_definition.updated`.
 */
export async function updateAgent(ctx: RequestContext, accountId: string, id: string, input: UpdateAgentInput): Promise<AgentDefinition> {
  const p: FieldDetails = {};
  if (input.name != null) nameProblems(input.name, p);
  textProblems(input, p);
  if (Object.keys(p).length) throw validationError(p);
  if (!isUuid(id)) throw notFound('AgentDefinition');
  const presetIds = await checkPresets(ctx, accountId, input.guardrailPresetIds);
  const defaultModelId = input.defaultModelId == null ? null : await checkDefaultModel(ctx, accountId, input.defaultModelId);
  const scopes = input.grants == null ? null : await checkAccessScopes(ctx, accountId, input.grants);
  const name = input.name?.trim();
  return uniqueName(name ?? '', () =>
    ctx.write(async ({ em, audit }) => {
      const a = await lockAgent(em, accountId, id);
      const before = snapshot(a, grantList(await grantsOf(em, accountId, 'AGENT', a.id)));
      if (input.connectionIds != null) a.connectionIds = await checkTools(em, accountId, input.connectionIds);
      if (name !== undefined) a.name = name;
      if (input.description != null) a.description = input.description;
      if (input.instructions != null) a.instructions = input.instructions;
      if (defaultModelId) a.defaultModelId = defaultModelId;
      a.guardrailPresetIds = presetIds;
      a.updatedAt = new Date();
      await em.flush();
      const after = scopes ? (await changeGrants(em, accountId, 'AGENT', a.id, 'replace', scopes)).after : before.grants;
      await audit({
        type: 'agent_definition.updated',
        subject: { type: 'AgentDefinition', id: a.id },
        payload: { before, after: snapshot(a, after) },
      });
      return a;
    }),
  );
}

/** Deletes an agent definition and its grants. */
export async function deleteAgent(ctx: RequestContext, accountId: string, id: string): Promise<boolean> {
  if (!isUuid(id)) throw notFound('AgentDefinition');
  return ctx.write(async ({ em, audit }) => {
    const a = await lockAgent(em, accountId, id);
    const before = snapshot(a, grantList(await grantsOf(em, accountId, 'AGENT', a.id)));
    await dropGrants(em, accountId, 'AGENT', a.id);
    em.remove(a);
    await em.flush();
    await audit({ type: 'agent_definition.deleted', subject: { type: 'AgentDefinition', id: a.id }, payload: { before } });
    return true;
  });
}

/** Adds or removes grants of an agent (`agent_definition.grants_changed`); an unchanged list records nothing. */
export async function changeAgentGrants(
  ctx: RequestContext,
  accountId: string,
  id: string,
  mode: 'add' | 'remove',
  scopesIn: readonly ScopeInput[],
): Promise<AgentDefinition> {
  const scopes = await checkAccessScopes(ctx, accountId, scopesIn, 'scopes');
  return ctx.write(async ({ em, audit, unchanged }) => {
    const a = await lockAgent(em, accountId, id);
    const { before, after } = await changeGrants(em, accountId, 'AGENT', a.id, mode, scopes);
    if (before.join() === after.join()) return unchanged(a);
    await audit({ type: 'agent_definition.grants_changed', subject: { type: 'AgentDefinition', id: a.id }, payload: { before, after } });
    return a;
  });
}

export const listAgents = (ctx: RequestContext, accountId: string) =>
  ctx.read((em) => em.find(AgentDefinition, { accountId }, { orderBy: { name: 'asc', id: 'asc' } }));

/** Agent definitions by id in the request's account (RLS); null for unknown and other accounts' ids. One statement per batch. */
export function agentLoader(ctx: RequestContext) {
  return ctx.loader<string, AgentDefinition | null>(`agentById:${ctx.accountId ?? ''}`, async (ids) => {
    const valid = [...new Set(ids.filter(isUuid).map((i) => i.toLowerCase()))];
    const rows = valid.length ? await ctx.read((em) => em.find(AgentDefinition, { id: { $in: valid } }, { orderBy: { name: 'asc' } })) : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((i) => (isUuid(i) ? (byId.get(i.toLowerCase()) ?? null) : null));
  });
}
