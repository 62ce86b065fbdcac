import { defineConcept, defineEvents, type Logger } from '@cockpit/kit';
import { ApiKey } from './api-key.entity';
import { ApiKeyUsage } from './api-key.last-used';
import { apiKeyResolvers } from './api-key.resolvers';
import { apiKeyRoutes } from './api-key.routes';

// the secret is never in a payload: only its prefix
const created = { subject: 'ApiKey', payload: ['name', 'tier', 'scopes', 'modelAllowlist', 'prefix', 'expiresAt', 'userId'] } as const;

/** API keys (ID7): account keys, and platform keys for super admins. */
export function apiKeys(log: Logger, lastUsedFlushMs?: number) {
  const usage = new ApiKeyUsage(lastUsedFlushMs, log);
  return defineConcept({
    name: 'apiKeys',
    entities: [ApiKey],
    resolvers: apiKeyResolvers,
    routes: (orm) => apiKeyRoutes(orm, usage),
    events: defineEvents({
      'api_key.created': created,
      'api_key.bootstrapped': created,
      'api_key.recovered': created,
      'api_key.revoked': { subject: 'ApiKey', payload: ['name', 'tier', 'prefix'] },
    }),
    // pending last-used stamps are written before the ORM closes
    onClose: () => usage.close(),
  });
}
