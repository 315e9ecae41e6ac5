import { Hono, type Context } from 'hono';
import { describeRoute } from 'hono-openapi';
import { eq } from 'drizzle-orm';
import { auditLog, sessions, tenants, users } from '../../db/schema';
import { LoginBody, Me } from '../../protocol/api/auth';
import type { AppEnv, AuthContext, Db } from '../types';
import { requireAuth, resolveAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { ApiError } from '../lib/errors';
import { auditInsert, auditRow, clientIp } from '../lib/audit';
import { DUMMY_PASSWORD_HASH, sha256Hex, verifyPassword } from '../lib/crypto';
import { clearSessionCookie, startSession } from '../lib/session';
import { LOGIN_PER_EMAIL, LOGIN_PER_IP, enforceRateLimits, pruneRateLimits, resetRateLimits } from '../lib/rate-limit';
import { errors, jsonBody, noContent } from '../lib/responses';

const invalidLogin = () => new ApiError(401, 'unauthorized', 'invalid email or password');

/** The caller as the dashboard sees it: the user's identity with this call's effective scope. */
export async function loadMe(db: Db, auth: AuthContext): Promise<Me> {
  const row = await db
    .select({ user: users, tenant: { id: tenants.id, name: tenants.name } })
    .from(users)
    .innerJoin(tenants, eq(tenants.id, users.tenantId))
    .where(eq(users.id, auth.userId))
    .get();
  if (!row) throw new ApiError(401, 'unauthorized', 'sign in or send a valid API token');
  const { user, tenant } = row;
  return {
    user: { id: user.id, email: user.email, name: user.name, role: auth.role, clientIds: auth.clientIds, tenantId: user.tenantId },
    tenant,
  };
}

export function userAuth(user: typeof users.$inferSelect): AuthContext {
  return {
    tenantId: user.tenantId,
    userId: user.id,
    role: user.role,
    clientIds: user.clientIds ?? null,
    actorType: 'user',
    actorId: user.id,
  };
}

async function recordFailure(c: Context<AppEnv>, user: typeof users.$inferSelect, reason: string) {
  const row = auditRow(userAuth(user), { action: 'auth.login_failed', targetType: 'user', targetId: user.id, detail: { reason } }, clientIp(c));
  await c.var.db.insert(auditLog).values(row);
}

/*
 * Login throttling: every attempt counts (before the password is checked, so parallel
 * guesses cannot race past the limit), per source IP and per email (hashed, so the counter
 * table holds no addresses). A successful login clears its email's counter. Unknown emails
 * are counted and timed exactly like known ones.
 */
export const authRoutes = new Hono<AppEnv>()
  .post(
    '/login',
    describeRoute({
      tags: ['auth'],
      summary: 'Sign in with email and password (sets the session cookie)',
      description: `Limited to ${LOGIN_PER_EMAIL.max} attempts per email and ${LOGIN_PER_IP.max} per IP address every 15 minutes.`,
      responses: { 200: jsonBody('signed in', Me), ...errors(400, 401, 403, 429) },
    }),
    valid('json', LoginBody),
    async (c) => {
      const { email, password } = c.req.valid('json');
      const db = c.var.db;
      const ip = clientIp(c) ?? 'unknown';
      const emailKey = `login:email:${await sha256Hex(email)}`;
      await enforceRateLimits(db, [
        { key: `login:ip:${ip}`, ...LOGIN_PER_IP },
        { key: emailKey, ...LOGIN_PER_EMAIL },
      ]);
      if (Math.random() < 0.01) c.executionCtx.waitUntil(pruneRateLimits(db));

      const user = await db.select().from(users).where(eq(users.email, email)).get();
      const passwordOk = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
      if (!user) throw invalidLogin();
      if (!passwordOk || user.disabledAt !== null) {
        // Written after the answer, so a known email is not slower to refuse than an unknown one.
        c.executionCtx.waitUntil(recordFailure(c, user, passwordOk ? 'disabled' : 'bad_password'));
        throw invalidLogin();
      }

      const auth = userAuth(user);
      c.set('auth', auth);
      await startSession(c, db, user);
      await db.batch([
        db.update(users).set({ lastLoginAt: Date.now() }).where(eq(users.id, user.id)),
        auditInsert(db, c, { action: 'auth.login', targetType: 'user', targetId: user.id }),
      ]);
      await resetRateLimits(db, [emailKey]);
      return c.json(await loadMe(db, auth), 200);
    },
  )
  .post(
    '/logout',
    describeRoute({
      tags: ['auth'],
      summary: 'Sign out: ends the session and clears its cookie',
      description: 'Answers 204 even without a valid session, so a stale cookie can always be cleared.',
      responses: { 204: noContent, ...errors(403) },
    }),
    async (c) => {
      const db = c.var.db;
      const auth = await resolveAuth(c);
      if (auth?.sessionHash) {
        c.set('auth', auth);
        await db.batch([
          db.delete(sessions).where(eq(sessions.idHash, auth.sessionHash)),
          auditInsert(db, c, { action: 'auth.logout', targetType: 'user', targetId: auth.userId }),
        ]);
      }
      clearSessionCookie(c);
      return c.body(null, 204);
    },
  )
  .get(
    '/me',
    describeRoute({
      tags: ['auth'],
      summary: 'The signed-in user and tenant',
      responses: { 200: jsonBody('the caller', Me), ...errors(401) },
    }),
    requireAuth,
    async (c) => c.json(await loadMe(c.var.db, c.var.auth), 200),
  );
