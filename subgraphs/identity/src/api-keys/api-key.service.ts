import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type ConnectionArgs,
  type FieldDetails,
  isGrantingScope,
  notFound,
  PLATFORM_ACCOUNT_ID,
  type RequestContext,
  type Write,
  requireUuid,
  paginate,
  trimmed,
  uuidv7,
  validationError,
} from '@cockpit/kit';
import { ApiKey, type ApiKeyTier } from './api-key.entity';
import { apiKeyRepository } from './api-key.repository';
import { newSecret } from './api-key.secret';

export interface CreateApiKeyInput {
  name: string;
  tier: ApiKeyTier;
  scopes?: string[] | null;
  modelAllowlist?: string[] | null;
  expiresAt?: Date | null;
  /** The user the key acts for (its roles, capped by the tier); must be a user of the key's account. */
  userId?: string | null;
}

function validate(input: CreateApiKeyInput) {
  const details: FieldDetails = {};
  const name = trimmed(input.name);
  const scopes = [...new Set(input.scopes ?? [])];
  const modelAllowlist = [...new Set((input.modelAllowlist ?? []).map((m) => m.trim()))];
  if (name.length < 1 || name.length > 100) details.name = 'must be 1 to 100 characters';
  if (input.tier !== 'ADMIN' && input.tier !== 'CLIENT') details.tier = 'must be ADMIN or CLIENT';
  const bad = scopes.filter((s) => !isGrantingScope(s));
  if (bad.length) details.scopes = `unknown scope(s): ${bad.join(', ')}`;
  if (modelAllowlist.some((m) => m.length === 0 || m.length > 200)) details.modelAllowlist = 'model ids must be 1 to 200 characters';
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) details.expiresAt = 'must be in the future';
  if (Object.keys(details).length) throw validationError(details);
  return { name, tier: input.tier, scopes, modelAllowlist, expiresAt: input.expiresAt ?? null };
}

/**
 * The user a key is bound to: one of the account's users (read under the
 * request's RLS scope, so another tenant's user is invisible), or NOT_FOUND.
 * Platform keys have no account and so no users.
 */
async function keyUser(em: EntityManager, accountId: string | null, userId: string | null | undefined): Promise<string | null> {
  if (userId == null) return null;
  const id = requireUuid(userId, 'User');
  if (!accountId) throw notFound('User');
  if (!(await apiKeyRepository.hasUser(em, accountId, id))) throw notFound('User');
  return id;
}

/** Where a key's events go: its account's chain, or the platform chain for platform keys. */
const auditTarget = (accountId: string | null) =>
  accountId ? { accountId, domain: 'CONSOLE' as const } : { accountId: PLATFORM_ACCOUNT_ID, domain: 'PLATFORM' as const };

/**
 * Inserts a key and its audit event in the caller's transaction; returns the
 * secret, which exists nowhere else afterwards (only its sha256 is stored).
 */
export async function insertApiKey(
  em: EntityManager,
  audit: Write['audit'],
  accountId: string | null,
  input: CreateApiKeyInput,
  eventType: 'api_key.created' | 'api_key.bootstrapped' | 'api_key.recovered' = 'api_key.created',
): Promise<{ apiKey: ApiKey; secret: string }> {
  const data = validate(input);
  const userId = await keyUser(em, accountId, input.userId);
  const { secret, prefix, hash } = newSecret();
  const apiKey = em.create(ApiKey, {
    id: uuidv7(),
    accountId,
    userId,
    ...data,
    prefix,
    hash,
    createdAt: new Date(),
    revokedAt: null,
    lastUsedAt: null,
  });
  await em.flush();
  await audit({
    ...auditTarget(accountId),
    type: eventType,
    subject: { type: 'ApiKey', id: apiKey.id },
    payload: {
      name: data.name,
      tier: data.tier,
      scopes: data.scopes,
      modelAllowlist: data.modelAllowlist,
      prefix,
      expiresAt: data.expiresAt?.toISOString() ?? null,
      userId,
    },
  });
  return { apiKey, secret };
}

/** Creates a key for the account, or a platform key when `accountId` is null (super admin). */
export function createApiKey(ctx: RequestContext, accountId: string | null, input: CreateApiKeyInput) {
  validate(input); // fail before opening a transaction
  return ctx.write(({ em, audit }) => insertApiKey(em, audit, accountId, input));
}

export function listApiKeys(ctx: RequestContext, accountId: string | null, args: ConnectionArgs) {
  return paginate(args, {
    rows: ({ after, take }) => ctx.read((em) => apiKeyRepository.page(em, accountId, after, take)),
    key: (k) => k.id,
    count: () => ctx.read((em) => apiKeyRepository.count(em, accountId)),
  });
}

export async function getApiKey(ctx: RequestContext, accountId: string | null, id: string): Promise<ApiKey> {
  const keyId = requireUuid(id, 'ApiKey');
  const key = await ctx.read((em) => apiKeyRepository.find(em, accountId, keyId));
  if (!key) throw notFound('ApiKey');
  return key;
}

/** Revokes a key (idempotent: revoking a revoked key changes nothing and records nothing). */
export async function revokeApiKey(ctx: RequestContext, accountId: string | null, id: string): Promise<ApiKey> {
  const keyId = requireUuid(id, 'ApiKey');
  return ctx.write(async ({ em, audit, unchanged }) => {
    const key = await apiKeyRepository.find(em, accountId, keyId);
    if (!key) throw notFound('ApiKey');
    if (key.revokedAt) return unchanged(key);
    key.revokedAt = new Date();
    await em.flush();
    await audit({
      ...auditTarget(accountId),
      type: 'api_key.revoked',
      subject: { type: 'ApiKey', id: key.id },
      payload: { name: key.name, tier: key.tier, prefix: key.prefix },
    });
    return key;
  });
}
