import type { EntityManager } from '@mikro-orm/postgresql';
import { tablesOf } from '@cockpit/kit';
import { Account } from '../accounts/account.entity';
import { SsoSettings } from './sso-settings.entity';

export type SsoData = Omit<SsoSettings, 'accountId' | 'updatedAt'>;

/** An enabled issuer the gateway trusts, with the audience tokens must carry. */
export interface TrustedIssuer {
  accountId: string;
  issuer: string;
  audience: string;
  rolesClaim: string;
  accountIdClaim: string | null;
  superAdminRoles: string[];
}

export const ssoRepository = {
  /** Creates or replaces the account's settings in one statement (insert … on conflict (account_id) do update). */
  upsert: (em: EntityManager, accountId: string, data: SsoData) => em.upsert(SsoSettings, { accountId, ...data, updatedAt: new Date() }),

  /** The settings of every account asked about, in one query. */
  ofAccounts: (em: EntityManager, accountIds: readonly string[]) => em.find(SsoSettings, { accountId: { $in: [...accountIds] } }),

  /**
   * Every enabled issuer of an account that is not deleted (platform scope).
   * Raw SQL: a join on account_id, which the entities declare no relation for.
   */
  async trustedIssuers(em: EntityManager): Promise<TrustedIssuer[]> {
    const T = tablesOf(em, { sso: SsoSettings, account: Account });
    const rows = await em.execute(
      `select s.* from ${T.sso} s join ${T.account} a on a.id = s.account_id
        where s.enabled and a.status <> 'DELETED' order by s.account_id`,
    );
    return rows.map((r) => {
      const s = em.map(SsoSettings, r);
      return {
        accountId: s.accountId,
        issuer: s.issuer,
        // tokens are never audience-free: the client id stands in
        audience: s.audience ?? s.clientId,
        rolesClaim: s.rolesClaim,
        accountIdClaim: s.accountIdClaim ?? null,
        superAdminRoles: s.superAdminRoles ?? [],
      };
    });
  },
};
