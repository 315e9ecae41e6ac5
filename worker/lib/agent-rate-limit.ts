import { sql } from 'drizzle-orm';
import type { Db } from '../types';
import { ApiError } from './errors';

/**
 * Fixed-window counter in D1: one upsert per call. Used where an unauthenticated caller
 * can make us do work (enrollment); the row key says what is being limited.
 */
export async function enforceRateLimit(db: Db, key: string, limit: number, windowMs: number): Promise<void> {
  const now = Date.now();
  const start = now - (now % windowMs);
  const row = await db.get<{ count: number }>(sql`
    INSERT INTO rate_limits (key, window_start, count) VALUES (${key}, ${start}, 1)
    ON CONFLICT(key) DO UPDATE SET
      count = CASE WHEN window_start = ${start} THEN count + 1 ELSE 1 END,
      window_start = ${start}
    RETURNING count`);
  if (row && row.count > limit) {
    const retry = Math.ceil((start + windowMs - now) / 1000);
    throw new ApiError(429, 'rate_limited', `too many attempts; try again in ${retry} s`, undefined, {
      'retry-after': String(retry),
    });
  }
}
