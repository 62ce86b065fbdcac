import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { inTenantTx, PLATFORM_ACCOUNT_ID, recordEvent, servicePrincipal, type Write } from '@cockpit/kit';
import { insertApiKey } from './api-key.service';

export type BootstrapResult = { created: false } | { created: true; keyId: string; secret: string };

/** Serializes concurrent bootstraps (two CLIs starting at once) on one advisory lock. */
const BOOTSTRAP_LOCK = 0x636b7062; // "ckpb"

const platformTx = <T>(orm: MikroORM, fn: (em: EntityManager) => Promise<T>) =>
  inTenantTx(orm.em.fork(), { accountId: null, platform: true }, fn);

/** The CLI's audit of a key it mints at start-up (no request, so no relay to wake: the poll delivers it). */
const cliAudit =
  (em: EntityManager): Write['audit'] =>
  (e) =>
    recordEvent(em, 'identity', servicePrincipal('cli'), { ...e, accountId: e.accountId ?? PLATFORM_ACCOUNT_ID });

/**
 * First run (ID7): creates a platform ADMIN-tier key named `bootstrap` only when
 * no usable one exists — not when no key at all exists, so client keys cannot
 * hide a lock-out. Revoked or expired admin keys do not count.
 */
export function bootstrapAdminKey(orm: MikroORM): Promise<BootstrapResult> {
  return platformTx(orm, async (em) => {
    await em.execute(`select pg_advisory_xact_lock(?)`, [BOOTSTRAP_LOCK]);
    const [{ n }] = await em.execute(
      `select count(*)::int as n from "identity"."api_key"
        where account_id is null and tier = 'ADMIN' and revoked_at is null and (expires_at is null or expires_at > now())
          and service_account_id is null`, // a service account's scoped key is no way back in
    );
    if (Number(n) > 0) return { created: false } as const;
    const { apiKey, secret } = await insertApiKey(em, cliAudit(em), null, { name: 'bootstrap', tier: 'ADMIN' }, 'api_key.bootstrapped');
    return { created: true, keyId: apiKey.id, secret } as const;
  });
}

/** Lock-out escape hatch (`cockpit keys recover`): always mints a new platform ADMIN key. */
export function recoverAdminKey(orm: MikroORM): Promise<{ keyId: string; secret: string }> {
  return platformTx(orm, async (em) => {
    const { apiKey, secret } = await insertApiKey(em, cliAudit(em), null, { name: 'recovery', tier: 'ADMIN' }, 'api_key.recovered');
    return { keyId: apiKey.id, secret };
  });
}
