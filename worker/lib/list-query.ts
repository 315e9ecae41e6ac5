import { and, gt, lt, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { badRequest } from './errors';
import { decodeCursor } from './pagination';

/*
 * Keyset pagination and search for lists. Names sort case-insensitively with the id as the
 * tie-breaker, so a cursor names one exact position even when names repeat.
 */

const invalidCursor = () => badRequest('invalid cursor', [{ path: 'cursor', message: 'not a cursor this API issued' }]);

export function byName(name: SQLiteColumn | SQL, id: SQLiteColumn): (SQL | SQLiteColumn)[] {
  return [sql`${name} COLLATE NOCASE`, id];
}

/** Rows after the cursor of a `byName` list; `name` may be an expression (a display name falling back to the hostname). */
export function afterName(cursor: string | undefined, name: SQLiteColumn | SQL, id: SQLiteColumn): SQL | undefined {
  const key = decodeCursor(cursor);
  if (!key) return undefined;
  const [n, i] = key;
  if (typeof n !== 'string' || typeof i !== 'string') throw invalidCursor();
  return or(sql`${name} COLLATE NOCASE > ${n}`, and(sql`${name} COLLATE NOCASE = ${n}`, gt(id, i)));
}

export const nameKey = (row: { name: string; id: string }) => [row.name, row.id];

/** Rows after the cursor of a newest-first list: ids are time-ordered, so the id alone is the key. */
export function beforeId(cursor: string | undefined, id: SQLiteColumn): SQL | undefined {
  const key = decodeCursor(cursor);
  if (!key) return undefined;
  if (typeof key[0] !== 'string') throw invalidCursor();
  return lt(id, key[0]);
}

export const idKey = (row: { id: string }) => [row.id];

/** Case-insensitive substring match on any of the columns; `%` and `_` in q match themselves. */
export function matches(q: string | undefined, ...columns: SQLiteColumn[]): SQL | undefined {
  if (!q) return undefined;
  const pattern = `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  return or(...columns.map((col) => sql`${col} LIKE ${pattern} ESCAPE '\\'`));
}
