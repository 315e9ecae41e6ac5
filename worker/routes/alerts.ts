import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { alertEvents, alerts, devices } from '../../db/schema';
import { IdParam } from '../../protocol/api/common';
import { AlertDetail, AlertListQuery, AlertPage, AlertSummary, BulkAlertBody, BulkAlertResult } from '../../protocol/api/alerts';
import type { AppEnv } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { notFound } from '../lib/errors';
import { requireRole } from '../lib/roles';
import { audit } from '../lib/audit';
import { toPage } from '../lib/pagination';
import { beforeId, idKey, matches } from '../lib/list-query';
import { alertScope, findAlert, newestFirst, openedBetween, selectAlerts, visibleAlertIds } from '../lib/alert-query';
import { tenantHub } from '../lib/hubs';
import { ticketOfAlert } from '../lib/tickets/detail';
import { errors, jsonBody } from '../lib/responses';

const tags = ['alerts'];

/** Acknowledge or resolve: the TenantHub owns the lifecycle; D1 rows are its record. */
async function act(c: { env: Env; var: AppEnv['Variables'] }, action: 'acknowledge' | 'resolve', ids: string[], note?: string) {
  const { auth, db } = c.var;
  requireRole(auth, 'technician');
  const visible = await visibleAlertIds(db, auth, ids);
  const result = visible.length
    ? await tenantHub(c.env, auth.tenantId).alertAction(action, visible, auth.actorId, note)
    : { changed: [], unchanged: [] };
  const hidden = ids.filter((id) => !visible.includes(id));
  return { changed: result.changed, unchanged: [...result.unchanged, ...hidden] };
}

export const alertsRoutes = new Hono<AppEnv>()
  .use('*', requireAuth)
  .get(
    '/',
    describeRoute({
      tags,
      summary: 'List alerts, newest first. Default: open and acknowledged; `status=resolved` for history',
      description: 'Read-only or higher; limited to the caller’s clients. `q` searches check name, message and hostname.',
      responses: { 200: jsonBody('a page of alerts', AlertPage), ...errors(400, 401) },
    }),
    valid('query', AlertListQuery),
    async (c) => {
      const { auth, db } = c.var;
      const q = c.req.valid('query');
      const limit = q.limit ?? 100;
      const status = q.status?.length ? q.status : (['open', 'acknowledged'] as const);
      const rows = await selectAlerts(db)
        .where(
          and(
            alertScope(auth),
            inArray(alerts.status, [...status]),
            q.severity?.length ? inArray(alerts.severity, q.severity) : undefined,
            q.deviceId ? eq(alerts.deviceId, q.deviceId) : undefined,
            q.clientId ? eq(alerts.clientId, q.clientId) : undefined,
            openedBetween(q.from, q.to),
            matches(q.q, alerts.checkName, alerts.message, devices.hostname, devices.displayName),
            beforeId(q.cursor, alerts.id),
          ),
        )
        .orderBy(newestFirst)
        .limit(limit + 1)
        .all();
      return c.json(toPage(rows, limit, idKey), 200);
    },
  )
  .get(
    '/summary',
    describeRoute({ tags, summary: 'Open alerts by severity, and how many are acknowledged', responses: { 200: jsonBody('counts', AlertSummary) } }),
    async (c) => {
      const { auth, db } = c.var;
      const rows = await db
        .select({ status: alerts.status, severity: alerts.severity, n: sql<number>`count(*)`.mapWith(Number) })
        .from(alerts)
        .where(and(alertScope(auth), inArray(alerts.status, ['open', 'acknowledged'])))
        .groupBy(alerts.status, alerts.severity)
        .all();
      const out: AlertSummary = { open: { info: 0, warning: 0, critical: 0 }, acknowledged: 0 };
      for (const r of rows) {
        if (r.status === 'open') out.open[r.severity] += r.n;
        else out.acknowledged += r.n;
      }
      return c.json(out, 200);
    },
  )
  .get(
    '/:id',
    describeRoute({ tags, summary: 'One alert with its full history', responses: { 200: jsonBody('alert', AlertDetail), ...errors(404) } }),
    valid('param', IdParam),
    async (c) => {
      const { auth, db } = c.var;
      const alert = await findAlert(db, auth, c.req.valid('param').id);
      if (!alert) throw notFound('alert');
      const events = await db
        .select({ id: alertEvents.id, at: alertEvents.at, kind: alertEvents.kind, actorId: alertEvents.actorId, detail: alertEvents.detail })
        .from(alertEvents)
        .where(and(eq(alertEvents.tenantId, auth.tenantId), eq(alertEvents.alertId, alert.id)))
        .orderBy(alertEvents.at, alertEvents.id)
        .all();
      return c.json({ alert, events, ticketId: await ticketOfAlert(db, auth.tenantId, alert.id) }, 200);
    },
  )
  .post(
    '/bulk',
    describeRoute({
      tags,
      summary: 'Acknowledge or resolve many alerts',
      description: 'Technician or higher. Ids the caller cannot see, or already in that state, come back as unchanged.',
      responses: { 200: jsonBody('what changed', BulkAlertResult), ...errors(400, 401, 403) },
    }),
    valid('json', BulkAlertBody),
    async (c) => {
      const body = c.req.valid('json');
      const result = await act(c, body.action, [...new Set(body.ids)], body.note);
      if (result.changed.length) {
        await audit(c, { action: `alert.${body.action}`, targetType: 'alert', detail: { ids: result.changed, note: body.note ?? null } });
      }
      return c.json(result, 200);
    },
  )
  .post(
    '/:id/acknowledge',
    describeRoute({ tags, summary: 'Acknowledge one alert (stops its escalation)', responses: { 200: jsonBody('alert', AlertDetail), ...errors(404) } }),
    valid('param', IdParam),
    async (c) => {
      const id = c.req.valid('param').id;
      const { changed } = await act(c, 'acknowledge', [id]);
      if (changed.length) await audit(c, { action: 'alert.acknowledge', targetType: 'alert', targetId: id });
      const alert = await findAlert(c.var.db, c.var.auth, id);
      if (!alert) throw notFound('alert');
      return c.json({ alert, events: [] }, 200);
    },
  )
  .post(
    '/:id/resolve',
    describeRoute({ tags, summary: 'Resolve one alert by hand', responses: { 200: jsonBody('alert', AlertDetail), ...errors(404) } }),
    valid('param', IdParam),
    async (c) => {
      const id = c.req.valid('param').id;
      const { changed } = await act(c, 'resolve', [id]);
      if (changed.length) await audit(c, { action: 'alert.resolve', targetType: 'alert', targetId: id });
      const alert = await findAlert(c.var.db, c.var.auth, id);
      if (!alert) throw notFound('alert');
      return c.json({ alert, events: [] }, 200);
    },
  );
