import { and, eq } from 'drizzle-orm';
import { auditLog, devices } from '../../../db/schema';
import { ticketAlerts, tickets } from '../../../db/desk-schema';
import type { Alert } from '../../../protocol/api/alerts';
import type { AuthContext, Db } from '../../types';
import { findAlert } from '../alert-query';
import { auditRow } from '../audit';
import { tenantHub } from '../hubs';
import { hasRole } from '../roles';
import { createTicket } from '../tickets/create';
import { tellHub } from '../tickets/tell-hub';
import { slaClocks } from '../tickets/sla';
import { isUniqueViolation } from '../sql-helpers';

/*
 * Alert actions taken from a chat message or a chat link, as the linked (or signed-in) user.
 * The same rules as the REST routes: technician or higher, the user's clients only, the
 * TenantHub owns the lifecycle, and every change leaves an audit row naming the channel.
 */

export type ChatAction = 'acknowledge' | 'resolve' | 'create_ticket';
export type ChatVia = 'slack' | 'slack_command' | 'teams_link';

export type ChatActionResult =
  | { outcome: 'forbidden' | 'not_found' }
  | { outcome: 'changed' | 'unchanged'; alert: Alert; ticket?: { id: string; number: number } };

// The same mapping as POST /alerts/:id/ticket.
const PRIORITY = { critical: 'urgent', warning: 'high', info: 'normal' } as const;

export async function chatAlertAction(
  env: Env,
  db: Db,
  auth: AuthContext,
  action: ChatAction,
  alertId: string,
  via: { channel: ChatVia; integrationId?: string; ip?: string | null },
): Promise<ChatActionResult> {
  if (!hasRole(auth, 'technician')) return { outcome: 'forbidden' };
  const alert = await findAlert(db, auth, alertId);
  if (!alert) return { outcome: 'not_found' };
  const detail = { via: via.channel, integrationId: via.integrationId ?? null };
  if (action === 'create_ticket') return openTicket(env, db, auth, alert, via, detail);
  const { changed } = await tenantHub(env, auth.tenantId).alertAction(action, [alert.id], auth.actorId);
  if (!changed.length) return { outcome: 'unchanged', alert };
  await db.insert(auditLog).values(auditRow(auth, { action: `alert.${action}`, targetType: 'alert', targetId: alert.id, detail }, via.ip ?? null));
  return { outcome: 'changed', alert: (await findAlert(db, auth, alert.id)) ?? alert };
}

/** One ticket per alert: an alert already linked to a ticket answers that ticket, unchanged. */
async function openTicket(env: Env, db: Db, auth: AuthContext, alert: Alert, via: { channel: ChatVia; ip?: string | null }, detail: Record<string, unknown>): Promise<ChatActionResult> {
  const linkedTicket = () =>
    db
      .select({ id: tickets.id, number: tickets.number })
      .from(ticketAlerts)
      .innerJoin(tickets, eq(tickets.id, ticketAlerts.ticketId))
      .where(and(eq(ticketAlerts.tenantId, auth.tenantId), eq(ticketAlerts.alertId, alert.id)))
      .get();
  const linked = await linkedTicket();
  if (linked) return { outcome: 'unchanged', alert, ticket: linked };
  const device = await db
    .select({ siteId: devices.siteId })
    .from(devices)
    .where(and(eq(devices.tenantId, auth.tenantId), eq(devices.id, alert.deviceId)))
    .get();
  const priority = PRIORITY[alert.severity];
  const now = Date.now();
  let ticket: { id: string; number: number };
  try {
    ticket = await createTicket(
      db,
      {
        tenantId: auth.tenantId,
        clientId: alert.clientId,
        siteId: device?.siteId ?? null,
        deviceId: alert.deviceId,
        title: (alert.hostname ? `${alert.checkName} on ${alert.hostname}` : alert.checkName).slice(0, 200),
        description: alert.message,
        priority,
        source: via.channel === 'teams_link' ? 'teams' : 'slack',
        requesterId: auth.userId,
        alertId: alert.id,
        actorId: auth.userId,
        sla: await slaClocks(db, auth.tenantId, alert.clientId, priority, now),
      },
      now,
    );
  } catch (err) {
    // Someone (or the automation) linked a ticket first: the whole batch rolled back.
    const winner = isUniqueViolation(err) ? await linkedTicket() : undefined;
    if (winner) return { outcome: 'unchanged', alert, ticket: winner };
    throw err;
  }
  await db
    .insert(auditLog)
    .values(auditRow(auth, { action: 'ticket.create', targetType: 'ticket', targetId: ticket.id, detail: { ...detail, alertId: alert.id } }, via.ip ?? null));
  await tellHub(env, auth.tenantId, { ticketId: ticket.id, kind: 'created', actorId: auth.userId, at: now });
  return { outcome: 'changed', alert, ticket };
}
