import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { devices, users } from '../../../db/schema';
import { ticketComments, tickets } from '../../../db/desk-schema';
import type { PortalComment, PortalTicket } from '../../../protocol/api/portal';
import type { AuthContext, Db } from '../../types';
import { notFound } from '../errors';
import { portalClientId } from './scope';

/*
 * Tickets as a portal user sees them: their client's only, and only what the client may
 * know. No assignee, SLA clocks, internal notes, time or history ever leave this file.
 */

const t = tickets;
const requester = alias(users, 'requester');

export const portalTicketColumns = {
  id: t.id,
  number: t.number,
  title: t.title,
  description: t.description,
  priority: t.priority,
  status: t.status,
  deviceId: t.deviceId,
  hostname: sql<string | null>`coalesce(${devices.displayName}, ${devices.hostname})`,
  // Staff who open a ticket for the client stay anonymous behind "support".
  requesterName: sql<string | null>`CASE WHEN ${t.source} = 'portal' THEN ${requester.name} END`,
  requesterId: t.requesterId,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
  resolvedAt: t.resolvedAt,
};

type Row = { requesterId: string | null } & Omit<PortalTicket, 'mine'>;

export function toPortalTicket(auth: AuthContext, row: Row): PortalTicket {
  const { requesterId, ...rest } = row;
  return { ...rest, mine: requesterId === auth.userId };
}

/** The tenant and the caller's one client. */
export function portalTicketScope(auth: AuthContext): SQL {
  return and(eq(t.tenantId, auth.tenantId), eq(t.clientId, portalClientId(auth)))!;
}

export function selectPortalTickets(db: Db) {
  return db
    .select(portalTicketColumns)
    .from(t)
    .leftJoin(devices, and(eq(devices.id, t.deviceId), eq(devices.tenantId, t.tenantId)))
    .leftJoin(requester, and(eq(requester.id, t.requesterId), eq(requester.tenantId, t.tenantId)));
}

/** A ticket of the caller's client, or the 404 of a missing one (another client's included). */
export async function findPortalTicket(db: Db, auth: AuthContext, id: string): Promise<PortalTicket> {
  const row = await selectPortalTickets(db)
    .where(and(portalTicketScope(auth), eq(t.id, id)))
    .get();
  if (!row) throw notFound('ticket');
  return toPortalTicket(auth, row);
}

/** The public thread, oldest first. Anything not written from the portal counts as support's. */
export async function portalComments(db: Db, tenantId: string, ticketId: string): Promise<PortalComment[]> {
  const c = ticketComments;
  const rows = await db
    .select({ id: c.id, authorKind: c.authorKind, authorName: users.name, body: c.body, createdAt: c.createdAt })
    .from(c)
    .leftJoin(users, and(eq(users.id, c.authorId), eq(users.tenantId, c.tenantId)))
    .where(and(eq(c.tenantId, tenantId), eq(c.ticketId, ticketId), eq(c.internal, false)))
    .orderBy(asc(c.id))
    .all();
  return rows.map((r) => ({
    id: r.id,
    authorName: r.authorName ?? 'Support',
    fromSupport: r.authorKind !== 'portal',
    body: r.body,
    createdAt: r.createdAt,
  }));
}
