import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createLogger, createRequestContext, eventChecker, servicePrincipal } from '@cockpit/kit';
import { connectionEvents } from './connection.concept';
import { rotateConnectionSecrets, type RotationResult } from './connection.service';
import { SecretBox } from './secret-box';

/**
 * `cockpit rotate-secrets`: what `mutation { rotateConnectionSecrets }` does, for an operator with
 * database access and no token. Runs the same service as the CLI's platform super-admin principal, so
 * each account's re-wrap is its own transaction with its `tool_connection.secrets_rotated` event
 * (checked against the catalogue, delivered by the outbox's relay).
 */
export function rotateConnectionSecretsAsSystem(orm: MikroORM, secretKeys: string): Promise<RotationResult> {
  const box = SecretBox.fromConfig(secretKeys);
  const ctx = createRequestContext({
    orm,
    schema: 'catalog',
    principal: servicePrincipal('cli', `cli-rotate-secrets-${randomUUID()}`),
    log: createLogger('catalog', 'warn'),
    checkEvent: eventChecker(connectionEvents),
  });
  return rotateConnectionSecrets(ctx, box);
}
