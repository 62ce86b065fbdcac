import {
  type ConnectionArgs,
  type FieldDetails,
  isGrantingScope,
  notFound,
  PLATFORM_ACCOUNT_ID,
  type RequestContext,
  requireUuid,
  paginate,
  trimmed,
  uniqueOrConflict,
  uuidv7,
  validationError,
} from '@cockpit/kit';
import { ApiKey } from '../api-keys/api-key.entity';
import { apiKeyRepository } from '../api-keys/api-key.repository';
import { newSecret } from '../api-keys/api-key.secret';
import { ServiceAccount } from './service-account.entity';
import { serviceAccountRepository } from './service-account.repository';

export interface CreateServiceAccountInput {
  name: string;
  scopes: string[];
}

const NAME_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;

function validate(input: CreateServiceAccountInput) {
  const details: FieldDetails = {};
  const name = trimmed(input.name);
  const scopes = [...new Set((input.scopes ?? []).map((s) => s.trim()))];
  if (!NAME_RE.test(name)) details.name = 'must be 1 to 63 lowercase letters, digits or dashes, starting with a letter or digit';
  // an empty scope list would mean "no limit" to the gateway: a service account always states what it may do
  if (scopes.length === 0) details.scopes = 'at least one scope is required (`*` for everything)';
  else {
    const bad = scopes.filter((s) => !isGrantingScope(s));
    if (bad.length) details.scopes = `unknown scope(s): ${bad.join(', ')}`;
  }
  if (Object.keys(details).length) throw validationError(details);
  return { name, scopes };
}

const platformEvent = (sa: ServiceAccount) => ({
  accountId: PLATFORM_ACCOUNT_ID,
  domain: 'PLATFORM' as const,
  subject: { type: 'ServiceAccount' as const, id: sa.id },
});

/**
 * Creates the service account and its API key (platform ADMIN tier, bound to
 * the account by `service_account_id`, carrying the same scopes so that even a
 * gateway unaware of service accounts stays inside them). Returns the secret once.
 */
export function createServiceAccount(
  ctx: RequestContext,
  input: CreateServiceAccountInput,
): Promise<{ serviceAccount: ServiceAccount; secret: string }> {
  const data = validate(input);
  return uniqueOrConflict(
    () =>
      ctx.write(async ({ em, audit }) => {
        const now = new Date();
        const serviceAccount = em.create(ServiceAccount, { id: uuidv7(), ...data, createdAt: now, disabledAt: null });
        await em.flush();
        const { secret, prefix, hash } = newSecret();
        const key = em.create(ApiKey, {
          id: uuidv7(),
          accountId: null,
          userId: null,
          serviceAccountId: serviceAccount.id,
          name: `service:${data.name}`,
          tier: 'ADMIN',
          scopes: data.scopes,
          modelAllowlist: [],
          prefix,
          hash,
          createdAt: now,
          expiresAt: null,
          revokedAt: null,
          lastUsedAt: null,
        });
        await em.flush();
        await audit({
          ...platformEvent(serviceAccount),
          type: 'service_account.created',
          payload: { name: data.name, scopes: data.scopes, apiKeyId: key.id, prefix },
        });
        return { serviceAccount, secret };
      }),
    'A service account with this name exists',
    { name: 'already taken' },
  );
}

/** Disables the account and revokes its keys in the same transaction (idempotent; there is no re-enable). */
export function disableServiceAccount(ctx: RequestContext, id: string): Promise<ServiceAccount> {
  const saId = requireUuid(id, 'ServiceAccount');
  return ctx.write(async ({ em, audit, unchanged }) => {
    const sa = await serviceAccountRepository.find(em, saId);
    if (!sa) throw notFound('ServiceAccount');
    if (sa.disabledAt) return unchanged(sa);
    sa.disabledAt = new Date();
    await em.flush();
    // revoking too means a gateway that only knows revokedAt refuses the key as well
    const revoked = await apiKeyRepository.revokeKeysOf(em, sa.id, sa.disabledAt);
    await audit({
      ...platformEvent(sa),
      type: 'service_account.disabled',
      payload: { name: sa.name, revokedApiKeyIds: revoked },
    });
    return sa;
  });
}

export function listServiceAccounts(ctx: RequestContext, args: ConnectionArgs) {
  return paginate(args, {
    rows: ({ after, take }) => ctx.read((em) => serviceAccountRepository.page(em, after, take)),
    key: (s) => s.id,
    count: () => ctx.read((em) => serviceAccountRepository.count(em)),
  });
}
