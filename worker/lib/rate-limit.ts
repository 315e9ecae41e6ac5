import { inArray, lt, sql } from 'drizzle-orm';
import { rateLimits } from '../../db/schema';
import type { Db } from '../types';
import { ApiError } from './errors';

/*
 * Fixed-window counters in D1. Each hit is one atomic upsert that starts a new window or
 * counts in the current one and returns the count, so concurrent attempts cannot all slip
 * under the limit between a read and a write.
 */

export interface RateLimit {
  /** Namespaced by the caller, e.g. `login:ip:203.0.113.9`. */
  key: string;
  max: number;
  windowMs: number;
}

const MINUTE = 60_000;

/** Login: every attempt counts, before the password is checked (see worker/routes/auth.ts). */
export const LOGIN_PER_EMAIL = { max: 10, windowMs: 15 * MINUTE };
export const LOGIN_PER_IP = { max: 50, windowMs: 15 * MINUTE };

/**
 * Counts one hit against every limit; throws 429 `rate_limited` with Retry-After (seconds
 * until the latest of the exceeded windows ends) when any is over its maximum.
 */
export async function enforceRateLimits(db: Db, limits: [RateLimit, ...RateLimit[]], now = Date.now()): Promise<void> {
  const [first, ...rest] = limits.map((limit) => {
    const windowStart = now - (now % limit.windowMs);
    return db
      .insert(rateLimits)
      .values({ key: limit.key, windowStart, count: 1 })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          count: sql`CASE WHEN ${rateLimits.windowStart} = ${windowStart} THEN ${rateLimits.count} + 1 ELSE 1 END`,
          windowStart,
        },
      })
      .returning({ count: rateLimits.count, windowStart: rateLimits.windowStart });
  });
  const results = await db.batch([first, ...rest]);
  let retryAfterMs = 0;
  results.forEach(([row], i) => {
    const limit = limits[i];
    if (row && row.count > limit.max) retryAfterMs = Math.max(retryAfterMs, row.windowStart + limit.windowMs - now);
  });
  if (retryAfterMs > 0) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    throw new ApiError(429, 'rate_limited', `too many attempts, try again in ${seconds} s`, undefined, {
      'Retry-After': String(seconds),
    });
  }
}

/** Forgets the counters (e.g. a successful login clears its email's failures). */
export async function resetRateLimits(db: Db, keys: string[]): Promise<void> {
  await db.delete(rateLimits).where(inArray(rateLimits.key, keys));
}

/** Drops counters whose window ended long ago; cheap enough to run now and then. */
export async function pruneRateLimits(db: Db, olderThanMs = 24 * 60 * MINUTE, now = Date.now()): Promise<void> {
  await db.delete(rateLimits).where(lt(rateLimits.windowStart, now - olderThanMs));
}
