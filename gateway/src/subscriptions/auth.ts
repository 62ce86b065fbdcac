import { CockpitError, uuidv7, type Principal } from '@cockpit/kit/edge';
import type { Authenticator, Credentials } from '../auth/authenticate';

/**
 * graphql-ws close codes the bridge uses. A refused credential closes 4401 and
 * the reason tells the client what to do: `TOKEN_EXPIRED` (get a fresh token,
 * reconnect) or `Unauthorized` (the credential itself is refused: don't retry it).
 */
export const CLOSE = {
  badRequest: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  subprotocol: 4406,
  initTimeout: 4408,
  duplicateId: 4409,
  /** The client did not read its events: more than the cap of them were waiting to be sent. */
  tooSlow: 4413,
  tooMany: 4429,
  /** A dependency could not answer (identity, the limiter): "try again later", which graphql-ws clients retry. */
  tryAgain: 1013,
  /** A bug of ours. */
  internal: 1011,
} as const;

export const TOKEN_EXPIRED_REASON = 'TOKEN_EXPIRED';

/** Why a slow client was closed (4413): reconnecting with its last cursor as `after` resumes without a gap. */
export const TOO_SLOW_REASON = 'Too slow: events were not read; reconnect with after: your last cursor';

/** The credential in `connection_init`'s payload, as the HTTP headers would carry it. */
export function credentialFrom(payload: unknown): Omit<Credentials, 'requestId'> {
  const params = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
  const token = params.authorization ?? params.Authorization ?? (typeof params.token === 'string' ? `Bearer ${params.token}` : undefined);
  const accountId = params['x-account-id'] ?? params.accountId;
  return {
    authorization: typeof token === 'string' ? token : undefined,
    accountId: typeof accountId === 'string' ? accountId : undefined,
  };
}

/** True when authentication refused the credential itself (as opposed to failing to check it). */
export function isRefusal(e: unknown): e is CockpitError {
  return e instanceof CockpitError && ['UNAUTHORIZED', 'TOKEN_EXPIRED', 'FORBIDDEN', 'INVALID_REQUEST'].includes(e.code);
}

/** The close code and reason for a failed authentication. */
export function closeFor(e: unknown): { code: number; reason: string } {
  if (!isRefusal(e)) return { code: CLOSE.tryAgain, reason: 'Could not check the credential; try again' };
  switch (e.code) {
    case 'TOKEN_EXPIRED':
      return { code: CLOSE.unauthorized, reason: TOKEN_EXPIRED_REASON };
    case 'FORBIDDEN':
      return { code: CLOSE.forbidden, reason: 'Forbidden' };
    case 'INVALID_REQUEST':
      return { code: CLOSE.badRequest, reason: e.message.slice(0, 120) };
    default:
      return { code: CLOSE.unauthorized, reason: 'Unauthorized' };
  }
}

/** What revalidation needs of a connection. */
export interface AuthenticatedConnection {
  /** The credential as it was presented at `connection_init`; undefined before. */
  readonly credential?: Omit<Credentials, 'requestId'>;
  /** Closes the connection for a credential that no longer stands. */
  refuse(e: CockpitError): void;
  /** The credential still stands, as `principal` (its roles, scopes or account may have changed). */
  reauthorized(principal: Principal & { expiresAt?: number }): void;
}

/**
 * Authenticates every connection's credential again. A refused one is closed
 * (4401, 4403); a check that fails for another reason (identity unreachable)
 * keeps the connection: the next round decides.
 */
export async function revalidateAll(connections: Iterable<AuthenticatedConnection>, authenticate: Authenticator['authenticate']) {
  await Promise.all(
    [...connections].map(async (c) => {
      const credential = c.credential;
      if (!credential) return;
      try {
        c.reauthorized(await authenticate({ ...credential, requestId: uuidv7() }));
      } catch (e) {
        if (isRefusal(e)) c.refuse(e);
      }
    }),
  );
}
