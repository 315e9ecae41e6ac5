import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { and, eq } from 'drizzle-orm';
import { alerts, devices } from '../../db/schema';
import { IdParam } from '../../protocol/api/common';
import { AlertTicketConflict, Ticket, type TicketPriority } from '../../protocol/api/tickets';
import type { AppEnv } from '../types';
import { requireAuth } from '../middleware/auth';
import { valid } from '../lib/validate';
import { notFound } from '../lib/errors';
import { requireRole } from '../lib/roles';
import { audit } from '../lib/audit';
import { alertScope } from '../lib/alert-query';
import { errors, jsonBody } from '../lib/responses';
import { isUniqueViolation } from '../lib/sql-helpers';
import { createTicket } from '../lib/tickets/create';
import { slaClocks } from '../lib/tickets/sla';
import { findTicket } from '../lib/tickets/query';
import { ticketOfAlert } from '../lib/tickets/detail';
import { tellHub } from '../lib/tickets/tell-hub';

/*
 * "Create ticket" by hand from an alert: client, site and device come from the alert, the
 * title from the check and host, the priority from the severity. An alert has at most one
 * ticket (a unique link), so a second call answers 409 naming the ticket it already has.
 */

const PRIORITY_OF: Record<string, TicketPriority> = { critical: 'urgent', warning: 'high', info: 'normal' };

export const alertTicketRoutes = new Hono<AppEnv>().post(
  '/:id/ticket',
  describeRoute({
    tags: ['alerts', 'tickets'],
    summary: 'Open a ticket for this alert (linked both ways)',
    description: 'Technician or higher, for an alert the caller may see. An alert that already has a ticket answers 409 with its `ticketId`.',
    responses: { 201: jsonBody('the ticket', Ticket), 409: jsonBody('the alert already has a ticket', AlertTicketConflict), ...errors(401, 403, 404) },
  }),
  requireAuth,
  valid('param', IdParam),
  async (c) => {
    const { auth, db } = c.var;
    requireRole(auth, 'technician');
    const { id } = c.req.valid('param');
    const alert = await db
      .select({
        id: alerts.id,
        clientId: alerts.clientId,
        deviceId: alerts.deviceId,
        siteId: devices.siteId,
        hostname: devices.hostname,
        displayName: devices.displayName,
        checkName: alerts.checkName,
        severity: alerts.severity,
        message: alerts.message,
      })
      .from(alerts)
      .leftJoin(devices, and(eq(devices.id, alerts.deviceId), eq(devices.tenantId, alerts.tenantId)))
      .where(and(alertScope(auth), eq(alerts.id, id)))
      .get();
    if (!alert) throw notFound('alert');
    const conflict = (ticketId: string) =>
      c.json({ error: { code: 'conflict', message: 'this alert already has a ticket' }, ticketId }, 409);
    const existing = await ticketOfAlert(db, auth.tenantId, alert.id);
    if (existing) return conflict(existing);
    const host = alert.displayName ?? alert.hostname;
    const priority = PRIORITY_OF[alert.severity] ?? 'normal';
    const now = Date.now();
    let created;
    try {
      created = await createTicket(
        db,
        {
          tenantId: auth.tenantId,
          clientId: alert.clientId,
          siteId: alert.siteId,
          deviceId: alert.deviceId,
          title: (host ? `${alert.checkName} on ${host}` : alert.checkName).slice(0, 200),
          description: alert.message,
          priority,
          source: 'alert',
          requesterId: auth.userId,
          alertId: alert.id,
          actorId: auth.userId,
          sla: await slaClocks(db, auth.tenantId, alert.clientId, priority, now),
        },
        now,
      );
    } catch (err) {
      // Another call (or the automation) linked it first: the whole batch rolled back.
      const winner = isUniqueViolation(err) ? await ticketOfAlert(db, auth.tenantId, alert.id) : null;
      if (winner) return conflict(winner);
      throw err;
    }
    await audit(c, { action: 'ticket.create', targetType: 'ticket', targetId: created.id, detail: { number: created.number, alertId: alert.id } });
    await tellHub(c.env, auth.tenantId, { ticketId: created.id, kind: 'created', actorId: auth.userId, at: now });
    return c.json(await findTicket(db, auth, created.id), 201);
  },
);
