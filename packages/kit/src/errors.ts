import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** Every error code the API may answer with. */
export type ErrorCode =
  | 'INVALID_REQUEST'
  | 'INVALID_POLICY_YAML'
  | 'DUPLICATE_POLICY'
  | 'UNAUTHORIZED'
  | 'TOKEN_EXPIRED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'VALIDATION_ERROR'
  | 'RATE_LIMITED'
  | 'INTERNAL_ERROR'
  | 'UPSTREAM_ERROR'
  | 'SERVICE_UNAVAILABLE';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_REQUEST: 400,
  INVALID_POLICY_YAML: 400,
  DUPLICATE_POLICY: 400,
  UNAUTHORIZED: 401,
  TOKEN_EXPIRED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  VALIDATION_ERROR: 422,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  UPSTREAM_ERROR: 502,
  SERVICE_UNAVAILABLE: 503,
};

export type FieldDetails = Record<string, string>;

/** An expected, user-fixable failure: its message and code reach the client as they are. */
export class CockpitError extends GraphQLError {
  readonly code: ErrorCode;
  readonly details?: FieldDetails;
  constructor(code: ErrorCode, message: string, details?: FieldDetails) {
    super(message, { extensions: details ? { code, details } : { code } });
    this.code = code;
    this.details = details;
  }
}

export const invalidRequest = (m: string, d?: FieldDetails) => new CockpitError('INVALID_REQUEST', m, d);
export const validationError = (details: FieldDetails, m = 'Input failed validation') => new CockpitError('VALIDATION_ERROR', m, details);
export const unauthorized = (m = 'Authentication required') => new CockpitError('UNAUTHORIZED', m);
export const tokenExpired = (m = 'Token has expired') => new CockpitError('TOKEN_EXPIRED', m);
export const forbidden = (m = 'Not allowed') => new CockpitError('FORBIDDEN', m);
export const notFound = (what = 'Resource') => new CockpitError('NOT_FOUND', `${what} not found`);
export const conflict = (m: string, d?: FieldDetails) => new CockpitError('CONFLICT', m, d);

/** The database could not serve in time: retrying later may succeed (`extensions.retryable`). */
export const serviceUnavailable = (m = 'The database is busy; retry the request later') => {
  const e = new CockpitError('SERVICE_UNAVAILABLE', m);
  e.extensions.retryable = true;
  return e;
};

/**
 * Codes of a database that cannot serve right now: statement_timeout (57014), lock_timeout (55P03), the server
 * shutting down or the session terminated by an administrator (57P01–57P03), and a server that refuses or drops
 * the connection (ECONNREFUSED, ECONNRESET, …: PostgreSQL down, restarting or on the wrong port).
 */
const UNAVAILABLE_CODES = new Set([
  '57014',
  '55P03',
  '57P01',
  '57P02',
  '57P03',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** node-postgres' messages for a session the server or the network dropped (after the ORM's `<sql> - ` prefix). */
const PG_CONNECTION_LOST =
  /(^| - )(Connection (terminated|ended)( unexpectedly)?|Client has encountered a connection error and is not queryable)$/;

/**
 * A wait on the database that hit its bound (config.ts `DbBounds`): no pooled connection within the acquire
 * timeout (knex's KnexTimeoutError), a statement cancelled by `statement_timeout` (57014) or a lock not
 * granted within `lock_timeout` (55P03); or a database that refuses, drops or terminates the connection
 * (UNAVAILABLE_CODES). Looks through the ORM's wrapping (DriverException → `cause`).
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  for (let cur = e, depth = 0; cur && typeof cur === 'object' && depth < 5; depth++) {
    const x = cur as { name?: string; code?: unknown; sqlState?: unknown; cause?: unknown; previous?: unknown; originalError?: unknown };
    // the ORM's DriverException copies the pool's KnexTimeoutError but renames it: its message stays
    if (
      x.name === 'KnexTimeoutError' ||
      (typeof (x as { message?: unknown }).message === 'string' &&
        (x as { message: string }).message.startsWith('Knex: Timeout acquiring a connection'))
    )
      return true;
    if (typeof x.code === 'string' && UNAVAILABLE_CODES.has(x.code)) return true;
    if (typeof x.sqlState === 'string' && UNAVAILABLE_CODES.has(x.sqlState)) return true;
    const message = typeof (x as { message?: unknown }).message === 'string' ? (x as { message: string }).message : '';
    // a call to another service that could not connect is not the database (undici's "fetch failed", its cause ECONNREFUSED)
    if (x.name === 'TypeError' && message === 'fetch failed') return false;
    // node-postgres' own message when the server or the network drops the session mid-query (the ORM prefixes the SQL)
    if (PG_CONNECTION_LOST.test(message)) return true;
    cur = x.cause ?? x.previous ?? x.originalError;
  }
  return false;
}

export function isCockpitError(e: unknown): e is CockpitError {
  return e instanceof CockpitError;
}

const CLIENT_CODE_MAP: Record<string, ErrorCode> = {
  GRAPHQL_VALIDATION_FAILED: 'INVALID_REQUEST',
  GRAPHQL_PARSE_FAILED: 'INVALID_REQUEST',
  BAD_USER_INPUT: 'INVALID_REQUEST',
  BAD_REQUEST: 'INVALID_REQUEST',
  OPERATION_RESOLUTION_FAILURE: 'INVALID_REQUEST',
  PERSISTED_QUERY_NOT_FOUND: 'INVALID_REQUEST',
};

const LIMIT_EXTENSIONS = ['cost', 'maxCost', 'planTimeoutMs', 'retryable'] as const;

/**
 * Apollo `formatError`: expected errors keep their message, code and details;
 * everything else becomes INTERNAL_ERROR with no message, stack or SQL (the
 * request's plugin logs the original and stamps `requestId` on every error).
 */
export function formatError(formatted: GraphQLFormattedError, original: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code as string | undefined;
  const underlying = original instanceof GraphQLError ? (original.originalError ?? original) : original;
  const known = code !== undefined && (code in HTTP_STATUS || code in CLIENT_CODE_MAP) && code !== 'INTERNAL_ERROR';
  const fromResolver = underlying instanceof Error && !(underlying instanceof GraphQLError);
  // never the SQL or its parameters: the code, what to do, and that a retry may succeed
  if (fromResolver && isDatabaseUnavailable(underlying)) {
    const e = serviceUnavailable();
    return { message: e.message, locations: formatted.locations, path: formatted.path, extensions: { ...e.extensions } };
  }
  if (underlying instanceof CockpitError || (known && !fromResolver)) {
    const extensions: Record<string, unknown> = { code: CLIENT_CODE_MAP[code!] ?? code };
    if (formatted.extensions?.details) extensions.details = formatted.extensions.details;
    // a refused operation's cost tells the client by how much to shrink it
    for (const k of LIMIT_EXTENSIONS) if (formatted.extensions?.[k] !== undefined) extensions[k] = formatted.extensions[k];
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions };
  }
  return { message: 'Internal error', path: formatted.path, extensions: { code: 'INTERNAL_ERROR' } };
}

/** True when formatError would mask this error (so it deserves a full log line). */
export function isUnexpected(err: unknown): boolean {
  if (err instanceof GraphQLError) {
    const underlying = err.originalError;
    if (underlying instanceof CockpitError || isDatabaseUnavailable(underlying)) return false;
    // a resolver's plain Error is unexpected whatever code Apollo stamped on it
    if (underlying instanceof Error && !(underlying instanceof GraphQLError)) return true;
    const code = err.extensions?.code as string | undefined;
    return !(code && (code in HTTP_STATUS || code in CLIENT_CODE_MAP)) || code === 'INTERNAL_ERROR';
  }
  return !(err instanceof CockpitError);
}
