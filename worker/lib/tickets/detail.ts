import { and, asc, eq } from 'drizzle-orm';
import { alerts } from '../../../db/schema';
import { ticketAlerts, ticketAttachments, ticketComments, ticketEvents, ticketTimeEntries } from '../../../db/desk-schema';
import type { TicketDetail } from '../../../protocol/api/tickets';
import type { AuthContext, Db } from '../../types';
import { findTicket } from './query';

/** A ticket with everything hanging off it, read in one D1 batch once the ticket is known visible. */
export async function ticketDetail(db: Db, auth: AuthContext, id: string): Promise<TicketDetail> {
  const ticket = await findTicket(db, auth, id);
  const tenant = auth.tenantId;
  const [linked, comments, timeEntries, attachments, events] = await db.batch([
    db
      .select({
        id: alerts.id,
        deviceId: alerts.deviceId,
        checkName: alerts.checkName,
        severity: alerts.severity,
        status: alerts.status,
        message: alerts.message,
        openedAt: alerts.openedAt,
        resolvedAt: alerts.resolvedAt,
        linkedAt: ticketAlerts.linkedAt,
      })
      .from(ticketAlerts)
      .innerJoin(alerts, and(eq(alerts.id, ticketAlerts.alertId), eq(alerts.tenantId, ticketAlerts.tenantId)))
      .where(and(eq(ticketAlerts.tenantId, tenant), eq(ticketAlerts.ticketId, id)))
      .orderBy(asc(ticketAlerts.linkedAt), asc(alerts.id)),
    db
      .select({
        id: ticketComments.id,
        authorId: ticketComments.authorId,
        authorKind: ticketComments.authorKind,
        body: ticketComments.body,
        internal: ticketComments.internal,
        createdAt: ticketComments.createdAt,
      })
      .from(ticketComments)
      .where(and(eq(ticketComments.tenantId, tenant), eq(ticketComments.ticketId, id)))
      .orderBy(asc(ticketComments.id)),
    db
      .select({
        id: ticketTimeEntries.id,
        userId: ticketTimeEntries.userId,
        minutes: ticketTimeEntries.minutes,
        billable: ticketTimeEntries.billable,
        note: ticketTimeEntries.note,
        workedAt: ticketTimeEntries.workedAt,
        createdAt: ticketTimeEntries.createdAt,
      })
      .from(ticketTimeEntries)
      .where(and(eq(ticketTimeEntries.tenantId, tenant), eq(ticketTimeEntries.ticketId, id)))
      .orderBy(asc(ticketTimeEntries.workedAt), asc(ticketTimeEntries.id)),
    db
      .select({
        id: ticketAttachments.id,
        commentId: ticketAttachments.commentId,
        filename: ticketAttachments.filename,
        contentType: ticketAttachments.contentType,
        size: ticketAttachments.size,
        sha256: ticketAttachments.sha256,
        uploadedBy: ticketAttachments.uploadedBy,
        internal: ticketAttachments.internal,
        createdAt: ticketAttachments.createdAt,
      })
      .from(ticketAttachments)
      .where(and(eq(ticketAttachments.tenantId, tenant), eq(ticketAttachments.ticketId, id)))
      .orderBy(asc(ticketAttachments.id)),
    db
      .select({ id: ticketEvents.id, at: ticketEvents.at, actorId: ticketEvents.actorId, kind: ticketEvents.kind, detail: ticketEvents.detail })
      .from(ticketEvents)
      .where(and(eq(ticketEvents.tenantId, tenant), eq(ticketEvents.ticketId, id)))
      .orderBy(asc(ticketEvents.at), asc(ticketEvents.id)),
  ]);
  let billableMinutes = 0;
  let nonBillableMinutes = 0;
  for (const e of timeEntries) {
    if (e.billable) billableMinutes += e.minutes;
    else nonBillableMinutes += e.minutes;
  }
  return {
    ticket,
    alerts: linked,
    comments,
    timeEntries,
    timeTotals: { billableMinutes, nonBillableMinutes },
    attachments,
    events: events.map((e) => ({ ...e, detail: e.detail ?? null })),
  };
}

/** The ticket an alert is linked to, if any (the link is unique per alert). */
export async function ticketOfAlert(db: Db, tenantId: string, alertId: string): Promise<string | null> {
  const row = await db
    .select({ ticketId: ticketAlerts.ticketId })
    .from(ticketAlerts)
    .where(and(eq(ticketAlerts.tenantId, tenantId), eq(ticketAlerts.alertId, alertId)))
    .get();
  return row?.ticketId ?? null;
}
