import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import * as v from 'valibot';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { notifications } from '../../db/schema';
import { MarkReadBody, NotificationPage } from '../../protocol/api/alerts';
import type { AppEnv } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { PageQuery, toPage } from '../lib/pagination';
import { beforeId, idKey } from '../lib/list-query';
import { inIds } from '../lib/sql-helpers';
import { errors, jsonBody } from '../lib/responses';

const ListQuery = v.object({ ...PageQuery, unread: v.optional(v.picklist(['true', 'false'])) });
const tags = ['notifications'];

/** The caller's own in-app notifications (escalation tiers reach users here). */
export const notificationsRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({ tags, summary: 'My notifications, newest first', responses: { 200: jsonBody('page', NotificationPage), ...errors(400, 401) } }),
    valid('query', ListQuery),
    async (c) => {
      const { auth, db } = c.var;
      const q = c.req.valid('query');
      const limit = q.limit ?? 50;
      const rows = await db
        .select({
          id: notifications.id,
          alertId: notifications.alertId,
          title: notifications.title,
          body: notifications.body,
          createdAt: notifications.createdAt,
          readAt: notifications.readAt,
        })
        .from(notifications)
        .where(
          and(
            eq(notifications.tenantId, auth.tenantId),
            eq(notifications.userId, auth.userId),
            q.unread === 'true' ? isNull(notifications.readAt) : undefined,
            beforeId(q.cursor, notifications.id),
          ),
        )
        .orderBy(desc(notifications.id))
        .limit(limit + 1)
        .all();
      return c.json(toPage(rows, limit, idKey), 200);
    },
  )
  .post(
    '/read',
    describeRoute({ tags, summary: 'Mark my notifications read (all of them when `ids` is absent)', responses: { 200: { description: '{ updated }' } } }),
    valid('json', MarkReadBody),
    async (c) => {
      const { auth, db } = c.var;
      const { ids } = c.req.valid('json');
      const res = await db
        .update(notifications)
        .set({ readAt: Date.now() })
        .where(
          and(
            eq(notifications.tenantId, auth.tenantId),
            eq(notifications.userId, auth.userId),
            isNull(notifications.readAt),
            ids ? inIds(notifications.id, ids) : undefined,
          ),
        )
        .run();
      return c.json({ updated: res.meta.changes ?? 0 }, 200);
    },
  );
