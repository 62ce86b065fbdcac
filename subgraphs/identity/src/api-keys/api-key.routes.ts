import type { MikroORM } from '@mikro-orm/postgresql';
import { forbidden, inTenantTx, invalidRequest, type InternalRoute } from '@cockpit/kit';

export const LOOKUP_PATH = '/internal/api-keys/lookup';

/** What the gateway needs to turn a presented key into a principal; never the hash. */
export interface ApiKeyLookup {
  id: string;
  accountId: string | null;
  userId: string | null;
  tier: 'ADMIN' | 'CLIENT';
  scopes: string[];
  modelAllowlist: string[];
  expiresAt: string | null;
  revokedAt: string | null;
  accountStatus: 'ACTIVE' | 'SUSPENDED' | 'DELETED' | null;
}

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());

/**
 * The gateway's API-key lookup: by sha256 (the unique index makes it one probe;
 * comparing hashes rather than secrets is what makes timing useless). Revoked and
 * expired keys are returned as such so the gateway can say why it refuses them.
 */
export function apiKeyRoutes(orm: MikroORM): Record<string, InternalRoute> {
  return {
    [LOOKUP_PATH]: async (body, principal) => {
      if (principal.kind !== 'SERVICE') throw forbidden('Only services may look up API keys');
      const hash = (body as { hash?: unknown } | null)?.hash;
      if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash))
        throw invalidRequest('hash must be a sha256 hex digest', { hash: 'must be 64 lowercase hex characters' });
      return inTenantTx(orm.em.fork(), { accountId: null, platform: true }, async (em) => {
        const rows = await em.execute(
          `select k.id, k.account_id, k.user_id, k.tier, k.scopes, k.model_allowlist, k.expires_at, k.revoked_at, a.status as account_status
             from "identity"."api_key" k left join "identity"."account" a on a.id = k.account_id
            where k.hash = ?`,
          [hash],
        );
        const r = rows[0];
        if (!r) return { key: null };
        // last-used is advisory: written at most once a minute per key, and only for usable keys
        await em.execute(
          `update "identity"."api_key" set last_used_at = now()
            where id = ? and revoked_at is null and (expires_at is null or expires_at > now())
              and (last_used_at is null or last_used_at < now() - interval '1 minute')`,
          [r.id],
        );
        const key: ApiKeyLookup = {
          id: r.id,
          accountId: r.account_id,
          userId: r.user_id,
          tier: r.tier,
          scopes: r.scopes ?? [],
          modelAllowlist: r.model_allowlist ?? [],
          expiresAt: iso(r.expires_at),
          revokedAt: iso(r.revoked_at),
          accountStatus: r.account_status ?? null,
        };
        return { key };
      });
    },
  };
}
