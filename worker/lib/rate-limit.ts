import { inArray, lt, sql } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { rateLimits } from '../../db/schema';
import type { Db } from '../types';
import { clientIp } from './audit';
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
  if (retryAfterMs > 0) throw rateLimited(retryAfterMs);
}

function rateLimited(retryAfterMs: number): ApiError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ApiError(429, 'rate_limited', `too many attempts, try again in ${seconds} s`, undefined, {
    'Retry-After': String(seconds),
  });
}

/** Forgets the counters (e.g. a successful login clears its email's failures). */
export async function resetRateLimits(db: Db, keys: string[]): Promise<void> {
  await db.delete(rateLimits).where(inArray(rateLimits.key, keys));
}

/** Drops counters whose window ended long ago; cheap enough to run now and then. */
export async function pruneRateLimits(db: Db, olderThanMs = 24 * 60 * MINUTE, now = Date.now()): Promise<void> {
  await db.delete(rateLimits).where(lt(rateLimits.windowStart, now - olderThanMs));
}

/* --- In-isolate gate: free to ask, for endpoints anyone can hit --- */

export interface BucketLimit {
  /** Requests allowed back to back. */
  burst: number;
  /** Refill rate once the burst is spent. */
  perSecond: number;
}

/**
 * Slack and Teams calls, per client address, before the signature is checked. Slack sends
 * from a shared pool of addresses for every workspace, so this is far above what a tenant's
 * technicians click; it only stops a flood, and the D1 limit per integration still applies
 * to requests that prove genuine.
 */
export const INBOUND_PER_ADDRESS: BucketLimit = { burst: 240, perSecond: 4 };
/* Addresses remembered per isolate; the oldest is forgotten first (it comes back with a full bucket). */
const MAX_KEYS = 10_000;

/**
 * Token buckets in this isolate's memory: no D1 read or write, so a flood is turned away
 * before it costs any. Each isolate counts on its own (Cloudflare runs many), so this caps
 * what one address can make one isolate do; it is a first gate, not an exact count.
 */
export class IsolateRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly limit: BucketLimit) {}

  /** Takes a token for `key`: 0 when there was one, else the ms until there is. */
  take(key: string, now = Date.now()): number {
    const { burst, perSecond } = this.limit;
    let b = this.buckets.get(key);
    if (b) {
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
      b.at = now;
    } else {
      if (this.buckets.size >= MAX_KEYS) this.buckets.delete(this.buckets.keys().next().value!);
      b = { tokens: burst, at: now };
      this.buckets.set(key, b);
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - b.tokens) / perSecond) * 1000);
  }
}

/** Middleware: 429 with Retry-After once the caller's address has spent its bucket. */
export function perAddressGate(limiter: IsolateRateLimiter): MiddlewareHandler {
  return async (c, next) => {
    // Without Cloudflare in front (local runs) every caller shares one bucket.
    const wait = limiter.take(clientIp(c) ?? 'local');
    if (wait > 0) throw rateLimited(wait);
    await next();
  };
}
