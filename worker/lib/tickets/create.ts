import { sql } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { ticketAlerts, ticketCounters, ticketEvents, tickets, type TICKET_PRIORITIES, type TICKET_SOURCES } from '../../../db/desk-schema';
import { newId } from '../ids';

/*
 * Opening a ticket, shared by the API (by hand, from an alert, from the portal) and the
 * TenantHub's alert→ticket automation. The counter bump, the ticket (numbered from the counter
 * inside the same transaction), its `created` event and the alert link are one batch: one
 * round trip, and a failed insert takes its number back with it.
 */

export interface NewTicket {
  tenantId: string;
  clientId: string;
  siteId?: string | null;
  deviceId?: string | null;
  title: string;
  description?: string;
  priority: (typeof TICKET_PRIORITIES)[number];
  source: (typeof TICKET_SOURCES)[number];
  requesterId?: string | null;
  assigneeId?: string | null;
  ruleId?: string | null;
  dedupKey?: string | null;
  /** The alert it is opened for: linked both ways. */
  alertId?: string | null;
  /** Who did it (a user id); null for automation. */
  actorId: string | null;
  /** SLA clocks, when a policy applies (computed by the caller). */
  sla?: { policyId: string; firstResponseDueAt: number | null; resolutionDueAt: number | null } | null;
}

export interface CreatedTicket {
  id: string;
  number: number;
}

// Any drizzle D1 database, whatever schema object it was made with (worker or hub).
type AnyD1 = DrizzleD1Database<Record<string, unknown>>;

export async function createTicket(db: AnyD1, t: NewTicket, now = Date.now()): Promise<CreatedTicket> {
  const id = newId('tkt', now);
  const counter = db
    .insert(ticketCounters)
    .values({ tenantId: t.tenantId, next: 2 })
    .onConflictDoUpdate({ target: ticketCounters.tenantId, set: { next: sql`${ticketCounters.next} + 1` } });
  const ticket = db
    .insert(tickets)
    .values({
      id,
      tenantId: t.tenantId,
      number: sql`(SELECT ${ticketCounters.next} - 1 FROM ${ticketCounters} WHERE ${ticketCounters.tenantId} = ${t.tenantId})`,
      clientId: t.clientId,
      siteId: t.siteId ?? null,
      deviceId: t.deviceId ?? null,
      title: t.title,
      description: t.description ?? '',
      priority: t.priority,
      status: 'new',
      assigneeId: t.assigneeId ?? null,
      source: t.source,
      requesterId: t.requesterId ?? null,
      ruleId: t.ruleId ?? null,
      dedupKey: t.dedupKey ?? null,
      lastAlertAt: t.alertId ? now : null,
      createdAt: now,
      updatedAt: now,
      slaPolicyId: t.sla?.policyId ?? null,
      firstResponseDueAt: t.sla?.firstResponseDueAt ?? null,
      resolutionDueAt: t.sla?.resolutionDueAt ?? null,
    })
    .returning({ number: tickets.number });
  // Two events of one millisecond: sorted ids keep "created" before "alert_linked".
  const [createdId, linkedId] = [newId('tev', now), newId('tev', now)].sort() as [string, string];
  const created = db.insert(ticketEvents).values({
    id: createdId,
    tenantId: t.tenantId,
    ticketId: id,
    at: now,
    actorId: t.actorId,
    kind: 'created',
    detail: { source: t.source, priority: t.priority, assigneeId: t.assigneeId ?? null, ruleId: t.ruleId ?? null },
  });
  const link = t.alertId
    ? [
        db.insert(ticketAlerts).values({ tenantId: t.tenantId, ticketId: id, alertId: t.alertId, linkedAt: now }),
        db.insert(ticketEvents).values({ id: linkedId, tenantId: t.tenantId, ticketId: id, at: now, actorId: t.actorId, kind: 'alert_linked', detail: { alertId: t.alertId } }),
      ]
    : [];
  const [, rows] = await db.batch([counter, ticket, created, ...link]);
  return { id, number: rows[0]!.number };
}
