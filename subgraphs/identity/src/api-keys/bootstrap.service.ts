import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { inPlatformTx, PLATFORM_ACCOUNT_ID, recordEvent, servicePrincipal, type Write } from '@cockpit/kit';
import { apiKeyRepository } from './api-key.repository';
import { insertApiKey } from './api-key.service';

export type BootstrapResult = { created: false } | { created: true; keyId: string; secret: string };

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
  return inPlatformTx(orm, async (em) => {
    // two CLIs starting at once: the second sees the first one's key
    await apiKeyRepository.lockBootstrap(em);
    if ((await apiKeyRepository.usablePlatformAdminKeys(em)) > 0) return { created: false } as const;
    const { apiKey, secret } = await insertApiKey(em, cliAudit(em), null, { name: 'bootstrap', tier: 'ADMIN' }, 'api_key.bootstrapped');
    return { created: true, keyId: apiKey.id, secret } as const;
  });
}

/** Lock-out escape hatch (`cockpit keys recover`): always mints a new platform ADMIN key. */
export function recoverAdminKey(orm: MikroORM): Promise<{ keyId: string; secret: string }> {
  return inPlatformTx(orm, async (em) => {
    const { apiKey, secret } = await insertApiKey(em, cliAudit(em), null, { name: 'recovery', tier: 'ADMIN' }, 'api_key.recovered');
    return { keyId: apiKey.id, secret };
  });
}
