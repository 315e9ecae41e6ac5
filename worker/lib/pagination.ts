import * as v from 'valibot';
import { badRequest } from './errors';

/** Query fields every list accepts. */
export const PageQuery = {
  cursor: v.optional(v.pipe(v.string(), v.maxLength(512))),
  limit: v.optional(
    v.pipe(v.string(), v.regex(/^\d+$/, 'limit must be a whole number'), v.transform(Number), v.minValue(1), v.maxValue(1000)),
  ),
};

export const DEFAULT_LIMIT = 100;

/** Opaque cursor: base64url JSON of the last row's sort key. */
export function encodeCursor(key: unknown[]): string {
  return btoa(JSON.stringify(key)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeCursor(cursor: string | undefined): unknown[] | undefined {
  if (!cursor) return undefined;
  try {
    const padded = cursor.replace(/-/g, '+').replace(/_/g, '/');
    const parsed = JSON.parse(atob(padded + '='.repeat((4 - (padded.length % 4)) % 4)));
    if (Array.isArray(parsed)) return parsed;
  } catch {
    // fall through
  }
  throw badRequest('invalid cursor', [{ path: 'cursor', message: 'not a cursor this API issued' }]);
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Fetch `limit + 1` rows, return `limit` and a cursor when there are more. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => unknown[]): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, nextCursor: more ? encodeCursor(keyOf(items[items.length - 1])) : null };
}
