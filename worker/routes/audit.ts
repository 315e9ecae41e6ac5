import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, desc, eq } from 'drizzle-orm';
import { auditLog } from '../../db/schema';
import { AuditPage } from '../../protocol/api/audit';
import type { AppEnv } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { requireRole } from '../lib/roles';
import { DEFAULT_LIMIT, PageQuery, toPage } from '../lib/pagination';
import { beforeId, idKey } from '../lib/list-query';
import { errors, jsonBody } from '../lib/responses';

const Filter = v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100)));
const AuditQuery = v.object({ ...PageQuery, action: Filter, actorId: Filter, targetId: Filter });

export const auditRoutes = new Hono<AppEnv>().use('*', requireAuth).get(
  '/',
  describeRoute({
    tags: ['audit'],
    summary: 'The tenant\'s audit log, newest first (admin+); filter by exact action, actorId or targetId',
    responses: { 200: jsonBody('a page of entries', AuditPage), ...errors(400, 401, 403) },
  }),
  valid('query', AuditQuery),
  async (c) => {
    const auth = c.var.auth;
    requireRole(auth, 'admin');
    const { cursor, limit = DEFAULT_LIMIT, action, actorId, targetId } = c.req.valid('query');
    const rows = await c.var.db
      .select({
        id: auditLog.id,
        actorId: auditLog.actorId,
        actorType: auditLog.actorType,
        action: auditLog.action,
        targetType: auditLog.targetType,
        targetId: auditLog.targetId,
        detail: auditLog.detail,
        ip: auditLog.ip,
        createdAt: auditLog.createdAt,
      })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.tenantId, auth.tenantId),
          action ? eq(auditLog.action, action) : undefined,
          actorId ? eq(auditLog.actorId, actorId) : undefined,
          targetId ? eq(auditLog.targetId, targetId) : undefined,
          beforeId(cursor, auditLog.id),
        ),
      )
      .orderBy(desc(auditLog.id))
      .limit(limit + 1)
      .all();
    return c.json(toPage(rows, limit, idKey), 200);
  },
);
