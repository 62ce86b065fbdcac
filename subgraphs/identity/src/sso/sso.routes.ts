import type { MikroORM } from '@mikro-orm/postgresql';
import { ssoIssuers } from '@cockpit/contracts';
import { inTenantTx, type InternalRoute } from '@cockpit/kit';
import { gatewayRoute } from '../gateway-contract/route';

export const SSO_ISSUERS_PATH = ssoIssuers.path;
export type { SsoIssuersAnswer as SsoIssuerAnswer } from '@cockpit/contracts';

/**
 * The enabled per-account issuers, for the gateway's cache (refreshed every 30 s):
 * platform scope, since the caller is a service. Deleted accounts are left out;
 * suspended ones stay so the gateway can say why it refuses their users.
 * `audience` falls back to the client id so tokens are never audience-free.
 */
export function ssoRoutes(orm: MikroORM): Record<string, InternalRoute> {
  return gatewayRoute(ssoIssuers, async () => {
    const rows = await inTenantTx(orm.em.fork(), { accountId: null, platform: true }, (em) =>
      em.execute(
        `select s.account_id, s.issuer, coalesce(s.audience, s.client_id) as audience, s.roles_claim, s.account_id_claim, s.super_admin_roles
           from "identity"."sso_settings" s join "identity"."account" a on a.id = s.account_id
          where s.enabled and a.status <> 'DELETED'
          order by s.account_id`,
      ),
    );
    return {
      issuers: rows.map((r: any) => ({
        accountId: r.account_id,
        issuer: r.issuer,
        audience: r.audience,
        rolesClaim: r.roles_claim,
        accountIdClaim: r.account_id_claim,
        superAdminRoles: r.super_admin_roles ?? [],
      })),
    };
  });
}
