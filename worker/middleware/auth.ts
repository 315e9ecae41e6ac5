import { createMiddleware } from 'hono/factory';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { apiTokens, sessions, users } from '../../db/schema';
import { ROLE_RANK, type AppEnv, type AuthContext } from '../types';
import { ApiError } from '../lib/errors';
import { sha256Hex } from '../lib/crypto';
import { readSessionCookie, SESSION_IDLE_MS } from '../lib/session';
import type { Context } from 'hono';

const unauthorized = () => new ApiError(401, 'unauthorized', 'sign in or send a valid API token');

/** Resolves the caller from `Authorization: Bearer tat_…` or the session cookie. */
export async function resolveAuth(c: Context<AppEnv>): Promise<AuthContext | null> {
  const db = c.var.db;
  const now = Date.now();
  const header = c.req.header('authorization');
  if (header) {
    const m = /^Bearer\s+(tat_[A-Za-z0-9_-]{20,})$/.exec(header);
    if (!m) return null;
    const hash = await sha256Hex(m[1]);
    const row = await db
      .select({ token: apiTokens, user: users })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt), isNull(users.disabledAt)))
      .get();
    if (!row || (row.token.expiresAt !== null && row.token.expiresAt <= now)) return null;
    // Touch at most once a minute: a busy integration must not write a row per call.
    if (!row.token.lastUsedAt || now - row.token.lastUsedAt > 60_000) {
      c.executionCtx.waitUntil(db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.token.id)).run());
    }
    // A token never outlives its user's access: demoting or limiting the user narrows the token too.
    const role = ROLE_RANK[row.token.role] <= ROLE_RANK[row.user.role] ? row.token.role : row.user.role;
    const tokenClients = row.token.clientIds ?? null;
    const userClients = row.user.clientIds ?? null;
    const clientIds =
      tokenClients === null ? userClients : userClients === null ? tokenClients : tokenClients.filter((id) => userClients.includes(id));
    return {
      tenantId: row.token.tenantId,
      userId: row.user.id,
      role,
      clientIds,
      actorType: 'token',
      actorId: row.token.id,
    };
  }
  const cookie = readSessionCookie(c);
  if (!cookie) return null;
  const hash = await sha256Hex(cookie);
  const row = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, hash), gt(sessions.expiresAt, now), isNull(users.disabledAt)))
    .get();
  if (!row || now - row.session.lastSeenAt > SESSION_IDLE_MS) return null;
  if (now - row.session.lastSeenAt > 60_000) {
    c.executionCtx.waitUntil(db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.idHash, hash)).run());
  }
  return {
    tenantId: row.user.tenantId,
    userId: row.user.id,
    role: row.user.role,
    clientIds: row.user.clientIds ?? null,
    actorType: 'user',
    actorId: row.user.id,
    sessionHash: hash,
  };
}

/*
 * Portal users (role `client`) belong to one of the MSP's clients: every staff route refuses
 * them here, whatever its own role checks say, so a staff route added later cannot leak to
 * them by forgetting a check. The portal authenticates with requirePortalUser (middleware/portal.ts);
 * of the rest they need only their own sign-in state (logout does not go through here).
 */
const PORTAL_USER_PATHS = new Set(['/api/v1/auth/me']);
const portalOnly = () => new ApiError(403, 'portal_only', 'this account is for the client portal: sign in at /portal');

export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  const auth = await resolveAuth(c);
  if (!auth) throw unauthorized();
  if (auth.role === 'client' && !PORTAL_USER_PATHS.has(c.req.path)) throw portalOnly();
  c.set('auth', auth);
  await next();
});
