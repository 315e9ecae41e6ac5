import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Context } from 'hono';
import { auditLog } from '../../db/schema';
import type { AppEnv, Db } from '../types';
import { auditRow, clientIp, type AuditEntry } from './audit';

/*
 * Small SQL building blocks for writes that must hold under concurrency: a D1 batch is one
 * transaction, so a row inserted "only if" a condition holds, next to an UPDATE or DELETE
 * guarded by the same condition, commits together with it or not at all.
 */

/** `INSERT INTO t (...) SELECT <row> WHERE <condition>`: the row is written only if the condition holds. */
export function insertWhere<T extends SQLiteTable>(db: Db, table: T, row: T['$inferInsert'], condition: SQL) {
  const values = Object.entries(getTableColumns(table))
    .filter(([, col]) => col.generated === undefined)
    .map(([key, col]) => {
      const value = (row as Record<string, unknown>)[key];
      if (value !== undefined) return sql.param(value, col);
      return col.default !== undefined ? sql.param(col.default, col) : sql`NULL`;
    });
  return db.insert(table).select(sql`SELECT ${sql.join(values, sql`, `)} WHERE ${condition}`);
}

/** An audit row written only if `condition` holds: put it in the batch before the guarded change. */
export function auditWhere(db: Db, c: Context<AppEnv>, entry: AuditEntry, condition: SQL) {
  return insertWhere(db, auditLog, auditRow(c.var.auth, entry, clientIp(c)), condition);
}

/**
 * `column IN (ids)` with the ids as one JSON parameter: D1 allows 100 bound parameters per
 * statement, which a long id list would exceed.
 */
export function inIds(column: SQLiteColumn, ids: readonly string[]): SQL {
  return sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;
}

/** Rows changed by a write in a `db.batch` answer (D1 reports it in `meta.changes`). */
export function changes(result: unknown): number {
  return (result as { meta?: { changes?: number } }).meta?.changes ?? 0;
}

function messages(err: unknown): string {
  let text = '';
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) text += `${e.message}\n`;
  return text;
}

/** True when D1 refused a write for a UNIQUE index (drizzle wraps the D1 error, hence the cause walk). */
export function isUniqueViolation(err: unknown): boolean {
  return messages(err).includes('UNIQUE constraint failed');
}

export function isForeignKeyViolation(err: unknown): boolean {
  return messages(err).includes('FOREIGN KEY constraint failed');
}

/**
 * A column that stays table-qualified inside a selected SQL expression. In a single-table
 * select drizzle strips the table name from columns in the selection, which would turn a
 * correlated subquery's `clients.id` into the subquery's own `id`; nested SQL is left as is.
 */
export function qualified(column: SQLiteColumn): SQL {
  return sql`${column}`;
}
