import type { Ticket, TicketStatus, UpdateTicketBody } from '../../../protocol/api/tickets';
import { ApiError } from '../errors';

/*
 * What a PATCH changes on a ticket: the columns to set and one history event per changed
 * field. Pure, so the status rules are tested without a database.
 */

export interface TicketChange {
  set: Partial<Pick<Ticket, 'title' | 'description' | 'priority' | 'status' | 'assigneeId' | 'resolvedAt' | 'closedAt'>>;
  events: { kind: string; detail: Record<string, unknown> }[];
}

/**
 * The timestamps a status move implies. Resolving stamps resolvedAt; closing stamps closedAt
 * (and resolvedAt when the ticket skipped "resolved"); reopening to open or pending clears
 * both, and moving a closed ticket back to resolved clears only closedAt. A ticket never
 * returns to "new": that status only means "nobody has looked at it yet".
 */
export function statusStamps(from: Ticket, to: TicketStatus, now: number): Pick<Ticket, 'resolvedAt' | 'closedAt'> {
  if (to === 'new' && from.status !== 'new') throw new ApiError(409, 'conflict', 'a ticket cannot go back to new; use open');
  switch (to) {
    case 'resolved':
      return { resolvedAt: from.status === 'closed' ? (from.resolvedAt ?? now) : now, closedAt: null };
    case 'closed':
      return { resolvedAt: from.resolvedAt ?? now, closedAt: now };
    default:
      return { resolvedAt: null, closedAt: null };
  }
}

export function ticketChange(before: Ticket, body: UpdateTicketBody, now: number): TicketChange {
  const change: TicketChange = { set: {}, events: [] };
  if (body.title !== undefined && body.title !== before.title) {
    change.set.title = body.title;
    change.events.push({ kind: 'title', detail: { from: before.title, to: body.title } });
  }
  if (body.description !== undefined && body.description !== before.description) {
    change.set.description = body.description;
    // The text itself is the ticket's; history only records that it changed.
    change.events.push({ kind: 'description', detail: { fromLength: before.description.length, toLength: body.description.length } });
  }
  if (body.priority !== undefined && body.priority !== before.priority) {
    change.set.priority = body.priority;
    change.events.push({ kind: 'priority', detail: { from: before.priority, to: body.priority } });
  }
  if (body.status !== undefined && body.status !== before.status) {
    change.set.status = body.status;
    Object.assign(change.set, statusStamps(before, body.status, now));
    change.events.push({ kind: 'status', detail: { from: before.status, to: body.status } });
  }
  if (body.assigneeId !== undefined && body.assigneeId !== before.assigneeId) {
    change.set.assigneeId = body.assigneeId;
    change.events.push({ kind: 'assignee', detail: { from: before.assigneeId, to: body.assigneeId } });
  }
  return change;
}
