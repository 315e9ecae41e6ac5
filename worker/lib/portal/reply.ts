import { and, eq, sql } from 'drizzle-orm';
import { ticketComments, ticketEvents, tickets } from '../../../db/desk-schema';
import type { PortalComment, PortalTicket } from '../../../protocol/api/portal';
import type { TicketStatus } from '../../../protocol/api/tickets';
import type { AuthContext, Db } from '../../types';
import { ApiError } from '../errors';
import { newId } from '../ids';
import { changes, insertWhere } from '../sql-helpers';

/*
 * A client's reply on their ticket. Waiting on the client (pending) or done (resolved), the
 * ticket goes back to the technicians' queue as `open`; a closed ticket stays closed, the
 * client opens a new one. The reply never stops the first-response clock: only the MSP
 * responds to the client.
 */

/** Statuses a client reply moves back to `open`. */
const REOPENS: TicketStatus[] = ['pending', 'resolved'];

export interface PortalReply {
  comment: PortalComment;
  /** The status move, when the reply reopened the ticket. */
  reopened: { from: TicketStatus; to: 'open' } | null;
  at: number;
}

export async function addPortalReply(db: Db, auth: AuthContext, authorName: string, ticket: PortalTicket, body: string): Promise<PortalReply> {
  if (ticket.status === 'closed') throw new ApiError(409, 'ticket_closed', 'this ticket is closed: open a new ticket instead');
  const now = Date.now();
  const reopened = REOPENS.includes(ticket.status) ? ({ from: ticket.status, to: 'open' } as const) : null;
  // Written only while the ticket still has the status the reply was judged against, so a
  // technician closing it meanwhile cannot end up with a reply on a closed ticket.
  const unchanged = sql`EXISTS (SELECT 1 FROM tickets x WHERE x.id = ${ticket.id} AND x.tenant_id = ${auth.tenantId} AND x.status = ${ticket.status})`;
  const [commentEvent, statusEvent] = [newId('tev', now), newId('tev', now)].sort() as [string, string];
  const comment = { id: newId('tcm', now), authorName, fromSupport: false, body, createdAt: now };
  const base = { tenantId: auth.tenantId, ticketId: ticket.id, at: now, actorId: auth.userId };
  const statusEvents = reopened ? [insertWhere(db, ticketEvents, { ...base, id: statusEvent, kind: 'status', detail: reopened }, unchanged)] : [];
  const update = db
    .update(tickets)
    .set({
      updatedAt: sql`max(${tickets.updatedAt} + 1, ${now})`,
      ...(reopened ? { status: 'open' as const, resolvedAt: null, closedAt: null } : {}),
    })
    .where(and(eq(tickets.tenantId, auth.tenantId), eq(tickets.id, ticket.id), eq(tickets.status, ticket.status)));
  const results = await db.batch([
    insertWhere(db, ticketComments, { id: comment.id, tenantId: auth.tenantId, ticketId: ticket.id, authorId: auth.userId, authorKind: 'portal', body, internal: false, createdAt: now }, unchanged),
    insertWhere(db, ticketEvents, { ...base, id: commentEvent, kind: 'comment', detail: { commentId: comment.id, internal: false } }, unchanged),
    ...statusEvents,
    update,
  ]);
  if (changes(results[results.length - 1]) !== 1) throw new ApiError(409, 'conflict', 'the ticket changed meanwhile; reload and try again');
  return { comment, reopened, at: now };
}
