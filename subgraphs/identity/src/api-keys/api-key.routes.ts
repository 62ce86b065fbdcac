import type { MikroORM } from '@mikro-orm/postgresql';
import { apiKeyLookup, type ApiKeyLookup } from '@cockpit/contracts';
import { inPlatformTx, type InternalRoute, type Role } from '@cockpit/kit';
import { gatewayRoute } from '../gateway-contract/route';
import { ApiKeyUsage } from './api-key.last-used';
import { apiKeyRepository } from './api-key.repository';

export const LOOKUP_PATH = apiKeyLookup.path;
export type { ApiKeyLookup } from '@cockpit/contracts';

/**
 * What a key may do: a platform ADMIN key is a super admin; an account ADMIN key
 * acts as the account's ADMIN, or, bound to a user, with that user's account-admin
 * role (VIEWER when the user administers nothing) but never above ADMIN — a key
 * must not manage owners; a CLIENT key is a runtime caller (END_USER).
 */
export function keyRoles(tier: 'ADMIN' | 'CLIENT', accountId: string | null, userId: string | null, userRole: string | null): Role[] {
  if (tier === 'CLIENT') return ['END_USER'];
  if (accountId === null) return ['SUPER_ADMIN'];
  if (userId === null) return ['ADMIN'];
  if (userRole === 'OWNER' || userRole === 'ADMIN') return ['ADMIN'];
  if (userRole === 'OPERATOR') return ['OPERATOR'];
  return ['VIEWER'];
}

const iso = (d: Date | null | undefined) => (d == null ? null : d.toISOString());

/**
 * The gateway's API-key lookup: by sha256 (the unique index makes it one probe;
 * comparing hashes rather than secrets is what makes timing useless). Revoked and
 * expired keys are returned as such so the gateway can say why it refuses them.
 */
export function apiKeyRoutes(orm: MikroORM, usage: ApiKeyUsage = new ApiKeyUsage()): Record<string, InternalRoute> {
  usage.attach(orm);
  return gatewayRoute(apiKeyLookup, async ({ hash }) =>
    inPlatformTx(orm, async (em) => {
      const found = await apiKeyRepository.byHash(em, hash);
      if (!found) return { key: null };
      const { key: k, serviceAccount: sa } = found;
      // last-used is advisory: remembered here, written in batches (api-key.last-used.ts), never per lookup
      if (!k.revokedAt && (!k.expiresAt || k.expiresAt.getTime() > Date.now())) usage.mark(k.id);
      const tier = k.tier as ApiKeyLookup['tier'];
      const key: ApiKeyLookup = {
        id: k.id,
        accountId: k.accountId ?? null,
        userId: k.userId ?? null,
        tier,
        scopes: k.scopes ?? [],
        modelAllowlist: k.modelAllowlist ?? [],
        expiresAt: iso(k.expiresAt),
        revokedAt: iso(k.revokedAt),
        accountStatus: (found.accountStatus as ApiKeyLookup['accountStatus']) ?? null,
        userStatus: (found.userStatus as ApiKeyLookup['userStatus']) ?? null,
        roles: keyRoles(tier, k.accountId ?? null, k.userId ?? null, found.userRole),
        serviceAccount: sa ? { id: sa.id, name: sa.name, scopes: sa.scopes ?? [], disabledAt: iso(sa.disabledAt) } : null,
      };
      return { key };
    }),
  );
}
