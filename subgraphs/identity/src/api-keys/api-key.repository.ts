import type { EntityManager } from '@mikro-orm/postgresql';
import { tablesOf } from '@cockpit/kit';
import { AccountAdmin } from '../account-admins/account-admin.entity';
import { Account } from '../accounts/account.entity';
import { AppUser } from '../directory/directory.entity';
import { ServiceAccount } from '../service-accounts/service-account.entity';
import { ApiKey } from './api-key.entity';

/** Serializes concurrent bootstraps (two CLIs starting at once) on one advisory lock. */
const BOOTSTRAP_LOCK = 0x636b7062; // "ckpb"

/** A key found by its hash, with what the gateway needs to know of its owners. */
export interface KeyByHash {
  key: ApiKey;
  accountStatus: string | null;
  userStatus: string | null;
  /** The account-admin role of the key's user (by email), if any. */
  userRole: string | null;
  serviceAccount: ServiceAccount | null;
}

/** Whose keys: an account's, or (null) the platform's. */
const ownedBy = (accountId: string | null) => ({ accountId });

const usable = () => ({ revokedAt: null, $or: [{ expiresAt: null }, { expiresAt: { $gt: new Date() } }] });

export const apiKeyRepository = {
  /** Keyset page of the owner's keys by id. */
  page: (em: EntityManager, accountId: string | null, after: string | null, take: number) =>
    em.find(ApiKey, { ...ownedBy(accountId), ...(after ? { id: { $gt: after } } : {}) }, { orderBy: { id: 'asc' }, limit: take }),

  count: (em: EntityManager, accountId: string | null) => em.count(ApiKey, ownedBy(accountId)),

  find: (em: EntityManager, accountId: string | null, id: string) => em.findOne(ApiKey, { id, ...ownedBy(accountId) }),

  /** Is `userId` one of the account's users (another tenant's is invisible)? */
  hasUser: async (em: EntityManager, accountId: string, userId: string) => (await em.count(AppUser, { id: userId, accountId })) > 0,

  /**
   * The gateway's lookup by sha256: one probe of the unique index, with the
   * key's account status, user status and role, and service account. Raw SQL:
   * correlated subqueries and joins on columns the entities declare no relation for.
   */
  async byHash(em: EntityManager, hash: string): Promise<KeyByHash | null> {
    const T = tablesOf(em, { key: ApiKey, account: Account, user: AppUser, admin: AccountAdmin, sa: ServiceAccount });
    const [row] = await em.execute(
      `select k.*, a.status as x_account_status,
              (select u.status from ${T.user} u where u.id = k.user_id) as x_user_status,
              (select aa.role from ${T.user} u join ${T.admin} aa on aa.account_id = u.account_id and lower(aa.email) = lower(u.email)
                where u.id = k.user_id and u.account_id = k.account_id limit 1) as x_user_role,
              sa.id as x_sa_id, sa.name as x_sa_name, sa.scopes as x_sa_scopes, sa.created_at as x_sa_created_at, sa.disabled_at as x_sa_disabled_at
         from ${T.key} k left join ${T.account} a on a.id = k.account_id
              left join ${T.sa} sa on sa.id = k.service_account_id
        where k.hash = ?`,
      [hash],
    );
    if (!row) return null;
    const { x_account_status, x_user_status, x_user_role, x_sa_id, x_sa_name, x_sa_scopes, x_sa_created_at, x_sa_disabled_at, ...key } =
      row;
    return {
      key: em.map(ApiKey, key),
      accountStatus: x_account_status ?? null,
      userStatus: x_user_status ?? null,
      userRole: x_user_role ?? null,
      serviceAccount: x_sa_id
        ? em.map(ServiceAccount, {
            id: x_sa_id,
            name: x_sa_name,
            scopes: x_sa_scopes,
            created_at: x_sa_created_at,
            disabled_at: x_sa_disabled_at,
          })
        : null,
    };
  },

  /** Stamps the last use of every key given that still works, in one statement. */
  stampUsed: (em: EntityManager, ids: string[]) => em.nativeUpdate(ApiKey, { id: { $in: ids }, ...usable() }, { lastUsedAt: new Date() }),

  /** Takes the bootstrap lock for the rest of the caller's transaction. Raw SQL: an advisory lock. */
  lockBootstrap: async (em: EntityManager) => {
    await em.execute(`select pg_advisory_xact_lock(?)`, [BOOTSTRAP_LOCK]);
  },

  /** Platform ADMIN keys that still work; a service account's scoped key is no way back in, so it does not count. */
  usablePlatformAdminKeys: (em: EntityManager) =>
    em.count(ApiKey, { ...ownedBy(null), tier: 'ADMIN', serviceAccountId: null, ...usable() }),

  /** Revokes every live key of the service account; the ids revoked, from one `update … returning`. */
  async revokeKeysOf(em: EntityManager, serviceAccountId: string, at: Date): Promise<string[]> {
    const rows: { id: string }[] = await em
      .createQueryBuilder(ApiKey)
      .update({ revokedAt: at })
      .where({ serviceAccountId, revokedAt: null })
      .returning('id')
      .execute('all');
    return rows.map((r) => r.id);
  },
};
