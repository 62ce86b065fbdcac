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

export function decodeCursor(cursor: string | null | undefined): string | null {
  if (cursor == null) return null;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key || encodeCursor(key) !== cursor) throw invalidRequest('Invalid cursor');
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
