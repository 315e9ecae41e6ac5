import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, desc, eq, exists, isNull, type SQL } from 'drizzle-orm';
import { apiTokens, users } from '../../db/schema';
import { Id, IdParam } from '../../protocol/api/common';
import { ApiToken, ApiTokenPage, CreateTokenBody, CreatedToken } from '../../protocol/api/tokens';
import type { AppEnv, AuthContext, Db } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { forbidden, notFound } from '../lib/errors';
import { hasRole, withinScope } from '../lib/roles';
import { randomSecret, sha256Hex } from '../lib/crypto';
import { newId } from '../lib/ids';
import { auditInsert } from '../lib/audit';
import { DEFAULT_LIMIT, PageQuery, toPage } from '../lib/pagination';
import { beforeId, idKey } from '../lib/list-query';
import { assertClientsExist } from '../lib/client-ids';
import { auditWhere } from '../lib/sql-helpers';
import { errors, jsonBody, noContent } from '../lib/responses';

const ListQuery = v.object({ ...PageQuery, userId: v.optional(Id) });

type TokenRow = typeof apiTokens.$inferSelect;

function toToken(row: TokenRow): ApiToken {
  const { tokenHash: _hash, tenantId: _tenant, ...rest } = row;
  return { ...rest, clientIds: row.clientIds ?? null };
}

/** Which tokens the caller may see and revoke: their own, or (admins) the whole tenant's. */
function manageable(auth: AuthContext): SQL {
  return and(eq(apiTokens.tenantId, auth.tenantId), hasRole(auth, 'admin') ? undefined : eq(apiTokens.userId, auth.userId))!;
}

/**
 * The broadest scope a new token may have: what this call may do (a token's own scope when a
 * token is calling) and what the user may do now. Both, so that neither a demoted user's old
 * session nor a narrow token can mint something broader than itself.
 */
async function scopeLimits(db: Db, auth: AuthContext) {
  const user = await db
    .select({ role: users.role, clientIds: users.clientIds })
    .from(users)
    .where(and(eq(users.id, auth.userId), eq(users.tenantId, auth.tenantId), isNull(users.disabledAt)))
    .get();
  if (!user) throw forbidden('your account is disabled');
  return [auth, { role: user.role, clientIds: user.clientIds ?? null }];
}

const tags = ['tokens'];

export const tokensRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({
      tags,
      summary: 'API tokens, newest first: your own, or every token of the tenant for admins (`userId` filters)',
      responses: { 200: jsonBody('a page of tokens (never the token text)', ApiTokenPage), ...errors(400, 401) },
    }),
    valid('query', ListQuery),
    async (c) => {
      const auth = c.var.auth;
      const { cursor, limit = DEFAULT_LIMIT, userId } = c.req.valid('query');
      const rows = await c.var.db
        .select()
        .from(apiTokens)
        .where(and(manageable(auth), userId ? eq(apiTokens.userId, userId) : undefined, beforeId(cursor, apiTokens.id)))
        .orderBy(desc(apiTokens.id))
        .limit(limit + 1)
        .all();
      const page = toPage(rows, limit, idKey);
      return c.json({ items: page.items.map(toToken), nextCursor: page.nextCursor }, 200);
    },
  )
  .post(
    '/',
    describeRoute({
      tags,
      summary: 'Create an API token for yourself; the token text is in this answer only',
      description:
        'role and clientIds default to the caller\'s and can never exceed them: not the user\'s current role ' +
        'and clients, and, when a token is calling, not that token\'s either.',
      responses: { 201: jsonBody('created', CreatedToken), ...errors(400, 401, 403) },
    }),
    valid('json', CreateTokenBody),
    async (c) => {
      const auth = c.var.auth;
      const db = c.var.db;
      const body = c.req.valid('json');
      const wanted = {
        role: body.role ?? auth.role,
        clientIds: body.clientIds !== undefined ? body.clientIds : auth.clientIds,
      };
      const limits = await scopeLimits(db, auth);
      if (!limits.every((outer) => withinScope(outer, wanted))) {
        throw forbidden('a token cannot have more access than its creator');
      }
      await assertClientsExist(db, auth.tenantId, wanted.clientIds);

      const token = randomSecret('tat');
      const now = Date.now();
      const row: TokenRow = {
        id: newId('tok', now),
        tenantId: auth.tenantId,
        userId: auth.userId,
        name: body.name,
        tokenHash: await sha256Hex(token),
        prefix: token.slice(0, 12),
        role: wanted.role,
        clientIds: wanted.clientIds,
        createdAt: now,
        expiresAt: body.expiresInDays ? now + body.expiresInDays * 86_400_000 : null,
        lastUsedAt: null,
        revokedAt: null,
      };
      await db.batch([
        db.insert(apiTokens).values(row),
        auditInsert(db, c, {
          action: 'token.create',
          targetType: 'token',
          targetId: row.id,
          detail: { name: row.name, role: row.role, clientIds: row.clientIds, expiresAt: row.expiresAt },
        }),
      ]);
      return c.json({ token, item: toToken(row) }, 201);
    },
  )
  .delete(
    '/:id',
    describeRoute({
      tags,
      summary: 'Revoke a token: your own, or any of the tenant\'s for admins',
      description: 'Revoking an already revoked token changes nothing and answers 204.',
      responses: { 204: noContent, ...errors(401, 404) },
    }),
    valid('param', IdParam),
    async (c) => {
      const auth = c.var.auth;
      const db = c.var.db;
      const { id } = c.req.valid('param');
      const target = and(manageable(auth), eq(apiTokens.id, id))!;
      const row = await db.select({ id: apiTokens.id }).from(apiTokens).where(target).get();
      if (!row) throw notFound('token');
      const live = and(target, isNull(apiTokens.revokedAt))!;
      const liveExists = db.select({ one: apiTokens.id }).from(apiTokens).where(live);
      await db.batch([
        auditWhere(db, c, { action: 'token.revoke', targetType: 'token', targetId: id }, exists(liveExists)),
        db.update(apiTokens).set({ revokedAt: Date.now() }).where(live),
      ]);
      return c.body(null, 204);
    },
  );
