import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { conflict, isUuid, notFound, uuidv7, validationError, type FieldDetails, type RequestContext } from '@cockpit/kit';
import { changeGrants, checkAccessScopes, dropGrants, grantsOf, grantList, type AccessScope } from '../scope-grants/scope-grant.service';
import type { AccessScopeType } from '../scope-grants/scope-grant.entity';
import { ToolConnection, type ConnectionType } from './connection.entity';
import { checkConnectionConfig, checkSecret, nameProblems } from './connection.validation';
import type { SecretBox } from './secret-box';

export interface ScopeInput {
  type: AccessScopeType;
  id: string;
}
export interface CreateConnectionInput {
  name: string;
  description?: string | null;
  type: ConnectionType;
  config: unknown;
  secret?: unknown;
  grants?: readonly ScopeInput[] | null;
}
export interface UpdateConnectionInput {
  name?: string | null;
  description?: string | null;
  config?: unknown;
  secret?: unknown;
  clearSecret?: boolean | null;
  grants?: readonly ScopeInput[] | null;
}

/** What an audit event shows of a connection: its settings and the names of its secret's fields, never a value. */
const snapshot = (c: ToolConnection, grants: string[]) => ({
  name: c.name,
  description: c.description,
  type: c.type,
  config: c.config,
  secretFields: [...c.secretFields],
  secretKeyId: c.secretKeyId ?? null,
  grants,
});

const context = (c: { accountId: string; id: string }) => `${c.accountId}|${c.id}`;
const nameTaken = (name: string) => conflict(`A connection named "${name}" already exists`, { name: 'already taken' });

async function uniqueName<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw nameTaken(name);
    throw err;
  }
}

function descriptionProblem(d: unknown, p: FieldDetails) {
  if (d != null && (typeof d !== 'string' || d.length > 2000)) p.description = 'must be at most 2,000 characters';
}

function applySecret(box: SecretBox, c: ToolConnection, secret: Record<string, string> | null) {
  if (!secret) {
    c.secretFields = [];
    c.secretCiphertext = c.secretDek = c.secretKeyId = null;
    return;
  }
  const sealed = box.seal(secret, context(c));
  c.secretFields = Object.keys(secret).sort();
  c.secretCiphertext = sealed.ciphertext;
  c.secretDek = sealed.dek;
  c.secretKeyId = sealed.keyId;
}

/**
 * Adds a tool connection (CA7) with its per-type settings, its secret sealed under the first
 * key-encryption key and, optionally, its grants; records `tool_connection.created` (no secret value).
 */
export async function createConnection(
  ctx: RequestContext,
  box: SecretBox,
  accountId: string,
  input: CreateConnectionInput,
): Promise<ToolConnection> {
  const p: FieldDetails = {};
  nameProblems(input.name, p);
  descriptionProblem(input.description, p);
  const secret = input.secret == null ? null : checkSecret(input.secret);
  if (secret) Object.assign(p, secret.problems);
  const checked = checkConnectionConfig(input.type, input.config, secret ? Object.keys(secret.secret) : []);
  Object.assign(p, checked.problems);
  if (Object.keys(p).length) throw validationError(p);
  const scopes = await checkAccessScopes(ctx, accountId, input.grants ?? []);
  const name = input.name.trim();
  return uniqueName(name, () =>
    ctx.write(async ({ em, audit }) => {
      const now = new Date();
      const c = em.create(ToolConnection, {
        id: uuidv7(),
        accountId,
        name,
        description: input.description ?? '',
        type: input.type,
        config: checked.config,
        secretFields: [],
        secretCiphertext: null,
        secretDek: null,
        secretKeyId: null,
        createdAt: now,
        updatedAt: now,
      });
      applySecret(box, c, secret?.secret ?? null);
      await em.flush();
      const { after } = await changeGrants(em, accountId, 'CONNECTION', c.id, 'replace', scopes);
      await audit({
        type: 'tool_connection.created',
        subject: { type: 'ToolConnection', id: c.id },
        payload: { after: snapshot(c, after) },
      });
      return c;
    }),
  );
}

async function lockConnection(em: EntityManager, accountId: string, id: string): Promise<ToolConnection> {
  const c = isUuid(id)
    ? await em.findOne(ToolConnection, { id: id.toLowerCase(), accountId }, { lockMode: LockMode.PESSIMISTIC_WRITE })
    : null;
  if (!c) throw notFound('ToolConnection');
  return c;
}

/**
 * Changes a connection: only the fields given; `config` is checked again against the type (and the
 * secret it will have), `secret` replaces the whole secret, `clearSecret` removes it, `grants`
 * replaces the grants. Records `tool_connection.updated` with `secretChanged`, never a value.
 */
export async function updateConnection(
  ctx: RequestContext,
  box: SecretBox,
  accountId: string,
  id: string,
  input: UpdateConnectionInput,
): Promise<ToolConnection> {
  const p: FieldDetails = {};
  if (input.name != null) nameProblems(input.name, p);
  descriptionProblem(input.description, p);
  if (input.secret != null && input.clearSecret) p.clearSecret = 'cannot be combined with secret';
  const secret = input.secret == null ? null : checkSecret(input.secret);
  if (secret) Object.assign(p, secret.problems);
  if (Object.keys(p).length) throw validationError(p);
  const scopes = input.grants == null ? null : await checkAccessScopes(ctx, accountId, input.grants);
  const name = input.name?.trim();
  return uniqueName(name ?? '', () =>
    ctx.write(async ({ em, audit }) => {
      const c = await lockConnection(em, accountId, id);
      const before = snapshot(c, grantList(await grantsOf(em, accountId, 'CONNECTION', c.id)));
      const fields = secret ? Object.keys(secret.secret) : input.clearSecret ? [] : c.secretFields;
      const checked = checkConnectionConfig(c.type, input.config ?? c.config, fields);
      if (Object.keys(checked.problems).length) throw validationError(checked.problems);
      if (name !== undefined) c.name = name;
      if (input.description != null) c.description = input.description;
      c.config = checked.config;
      const secretChanged = !!secret || (!!input.clearSecret && c.secretCiphertext !== null);
      if (secret) applySecret(box, c, secret.secret);
      else if (input.clearSecret) applySecret(box, c, null);
      c.updatedAt = new Date();
      await em.flush();
      const after = scopes ? (await changeGrants(em, accountId, 'CONNECTION', c.id, 'replace', scopes)).after : before.grants;
      await audit({
        type: 'tool_connection.updated',
        subject: { type: 'ToolConnection', id: c.id },
        payload: { before, after: snapshot(c, after), secretChanged },
      });
      return c;
    }),
  );
}

/** Deletes a connection and its grants; agents that list it as a tool drop it. False when there was none. */
export async function deleteConnection(ctx: RequestContext, accountId: string, id: string): Promise<boolean> {
  if (!isUuid(id)) throw notFound('ToolConnection');
  return ctx.write(async ({ em, audit }) => {
    const c = await lockConnection(em, accountId, id);
    const before = snapshot(c, grantList(await grantsOf(em, accountId, 'CONNECTION', c.id)));
    await dropGrants(em, accountId, 'CONNECTION', c.id);
    await em
      .getConnection()
      .execute(
        `update "catalog"."agent_definition" set connection_ids = array_remove(connection_ids, ?), updated_at = now() where account_id = ? and ? = any(connection_ids)`,
        [c.id, accountId, c.id],
      );
    em.remove(c);
    await em.flush();
    await audit({ type: 'tool_connection.deleted', subject: { type: 'ToolConnection', id: c.id }, payload: { before } });
    return true;
  });
}

/** Adds or removes grants of a connection (`tool_connection.grants_changed`); an unchanged list records nothing. */
export async function changeConnectionGrants(
  ctx: RequestContext,
  accountId: string,
  id: string,
  mode: 'add' | 'remove',
  scopesIn: readonly ScopeInput[],
): Promise<ToolConnection> {
  const scopes: AccessScope[] = await checkAccessScopes(ctx, accountId, scopesIn, 'scopes');
  return ctx.write(async ({ em, audit, unchanged }) => {
    const c = await lockConnection(em, accountId, id);
    const { before, after } = await changeGrants(em, accountId, 'CONNECTION', c.id, mode, scopes);
    if (before.join() === after.join()) return unchanged(c);
    await audit({ type: 'tool_connection.grants_changed', subject: { type: 'ToolConnection', id: c.id }, payload: { before, after } });
    return c;
  });
}

/** The account's connections, by name. */
export const listConnections = (ctx: RequestContext, accountId: string) =>
  ctx.read((em) => em.find(ToolConnection, { accountId }, { orderBy: { name: 'asc', id: 'asc' } }));

/** Connections by id in the request's account (RLS); null for unknown and other accounts' ids. One statement per batch. */
export function connectionLoader(ctx: RequestContext) {
  return ctx.loader<string, ToolConnection | null>(`connectionById:${ctx.accountId ?? ''}`, async (ids) => {
    const valid = [...new Set(ids.filter(isUuid).map((i) => i.toLowerCase()))];
    const rows = valid.length ? await ctx.read((em) => em.find(ToolConnection, { id: { $in: valid } })) : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((i) => (isUuid(i) ? (byId.get(i.toLowerCase()) ?? null) : null));
  });
}

export interface RotationResult {
  keyId: string;
  accounts: number;
  rotated: number;
}

/**
 * Re-wraps every connection secret not sealed under the first key-encryption key (operators, after
 * adding a new first key): one transaction per account, `tool_connection.secrets_rotated` recorded in
 * each; safe to re-run (what is already under the first key is left alone). Only data keys are
 * re-wrapped; the secrets' ciphertexts do not change.
 */
export async function rotateConnectionSecrets(ctx: RequestContext, box: SecretBox): Promise<RotationResult> {
  const keyId = box.primary.id;
  const accounts = await ctx.read(async (em) =>
    (
      await em
        .getConnection()
        .execute<{ account_id: string }[]>(
          `select distinct account_id from "catalog"."tool_connection" where secret_key_id is not null and secret_key_id <> ? order by account_id`,
          [keyId],
        )
    ).map((r) => r.account_id),
  );
  let rotated = 0;
  for (const accountId of accounts) {
    rotated += await ctx.actingAs({ accountId, platform: false }).write(async ({ em, audit, unchanged }) => {
      const rows = await em.find(
        ToolConnection,
        { accountId, secretKeyId: { $ne: keyId }, secretCiphertext: { $ne: null } },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!rows.length) return unchanged(0);
      const from = [...new Set(rows.map((r) => r.secretKeyId!))].sort();
      for (const c of rows) {
        const next = box.rewrap({ ciphertext: c.secretCiphertext!, dek: c.secretDek!, keyId: c.secretKeyId! }, context(c));
        c.secretDek = next.dek;
        c.secretKeyId = next.keyId;
      }
      await em.flush();
      await audit({
        type: 'tool_connection.secrets_rotated',
        subject: { type: 'Account', id: accountId },
        payload: { keyId, from, count: rows.length },
      });
      return rows.length;
    });
  }
  return { keyId, accounts: accounts.length, rotated };
}
