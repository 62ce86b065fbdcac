import { isUuid } from './ids';
import { invalidRequest } from './errors';

/** Relay connection arguments as every list field takes them. */
export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
}

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 100;

/** `first` defaults to 50 and is clamped to 100; negative is a client error. */
export function pageSize(first: number | null | undefined): number {
  if (first == null) return DEFAULT_PAGE;
  if (first < 0) throw invalidRequest('first must not be negative');
  return Math.min(first, MAX_PAGE);
}

export const encodeCursor = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');

/** Which keys a list hands out as cursors; anything else was not a cursor of this list. */
export type CursorKey = (key: string) => boolean;
/** Lists keyed by a UUIDv7 id (so by creation): almost all of them. */
export const uuidKey: CursorKey = isUuid;
/** Lists keyed by a sequence number (the audit chain). */
export const seqKey: CursorKey = (key) => /^\d{1,15}$/.test(key);

/**
 * The one answer every list gives to an `after` it did not hand out (garbage,
 * forged or another list's): INVALID_REQUEST naming the argument.
 */
export const badCursor = () => invalidRequest('Invalid cursor', { after: 'is not a cursor of this list' });

export function decodeCursor(cursor: string | null | undefined, isKey: CursorKey = uuidKey): string | null {
  if (cursor == null) return null;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key || encodeCursor(key) !== cursor || !isKey(key)) throw badCursor();
  return key;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number | (() => Promise<number>);
}

/**
 * Builds a connection from rows fetched with `limit + 1` (the extra row tells
 * whether there is a next page). `totalCount` may be lazy: GraphQL calls it only
 * when the field is selected.
 */
export function toConnection<T>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => string,
  totalCount: number | (() => Promise<number>),
  hasPreviousPage = false,
): Connection<T> {
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount,
  };
}

/** What a list's query is asked for: rows strictly after `after` in key order, at most `take` of them. */
export interface PageRequest {
  after: string | null;
  take: number;
}

export interface PaginateOptions<T> {
  /** The row's key, the one the query orders by; its cursor is this key made opaque. */
  key: (row: T) => string;
  /** Fetches one page; `take` is the page size plus one (the extra row tells whether there is a next page). */
  rows: (page: PageRequest) => Promise<T[]>;
  /** The list's total, run only when `totalCount` is selected. */
  count: () => Promise<number>;
  /** Which keys are cursors of this list (default: UUIDs). */
  cursor?: CursorKey;
}

/**
 * Keyset pagination as every list field does it: `first` defaults to 50 and is
 * clamped to 100, a bad `after` is `badCursor()`, `totalCount` is lazy.
 */
export async function paginate<T>(args: ConnectionArgs, o: PaginateOptions<T>): Promise<Connection<T>> {
  const limit = pageSize(args.first);
  const after = decodeCursor(args.after, o.cursor);
  const rows = await o.rows({ after, take: limit + 1 });
  return toConnection(rows, limit, o.key, o.count, after !== null);
}
