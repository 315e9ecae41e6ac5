import type { Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { sessions } from '../../db/schema';
import type { AppEnv, Db } from '../types';
import { randomSecret, sha256Hex } from './crypto';
import { clientIp } from './audit';

export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;
/** Sessions slide: a session idle for this long ends even before its absolute expiry. */
export const SESSION_IDLE_MS = 24 * 3600 * 1000;

function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:';
}

/** `__Host-` pins the cookie to this origin, but browsers accept it only with Secure (https). */
export function sessionCookieName(c: Context): string {
  return isHttps(c) ? '__Host-tether_session' : 'tether_session';
}

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, sessionCookieName(c));
}

export async function startSession(c: Context<AppEnv>, db: Db, user: { id: string; tenantId: string }): Promise<void> {
  const secret = randomSecret('tss');
  const now = Date.now();
  await db.insert(sessions).values({
    idHash: await sha256Hex(secret),
    userId: user.id,
    tenantId: user.tenantId,
    createdAt: now,
    expiresAt: now + SESSION_TTL_MS,
    lastSeenAt: now,
    ip: clientIp(c),
    userAgent: c.req.header('user-agent')?.slice(0, 256) ?? null,
  });
  setCookie(c, sessionCookieName(c), secret, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c),
    path: '/',
    maxAge: SESSION_TTL_MS / 1000,
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, sessionCookieName(c), { path: '/', secure: isHttps(c) });
}
