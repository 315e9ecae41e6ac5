import { createMiddleware } from 'hono/factory';
import type { Context } from 'hono';
import type { AppEnv } from '../types';
import { ApiError } from '../lib/errors';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function allowedOrigins(c: Context<AppEnv>): Set<string> {
  const set = new Set<string>([new URL(c.req.url).origin]);
  if (c.env.PUBLIC_URL) set.add(new URL(c.env.PUBLIC_URL).origin);
  for (const o of (c.env.ALLOWED_ORIGINS ?? '').split(',')) if (o.trim()) set.add(o.trim());
  return set;
}

/** True when the request's Origin is the dashboard's own (for cookie-authenticated calls and sockets). */
export function originAllowed(c: Context<AppEnv>): boolean {
  const origin = c.req.header('origin');
  return !!origin && allowedOrigins(c).has(origin);
}

/**
 * CSRF defence for cookie sessions: a mutating request must come from our own origin.
 * Bearer-token calls carry no ambient credential, so they are exempt.
 */
export const checkOrigin = createMiddleware<AppEnv>(async (c, next) => {
  if (!SAFE.has(c.req.method) && !c.req.header('authorization') && !originAllowed(c)) {
    throw new ApiError(403, 'forbidden', 'cross-origin request refused (Origin header missing or not allowed)');
  }
  await next();
});
