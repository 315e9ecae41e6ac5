import * as v from 'valibot';
import { Id, Timestamp } from './api/common';

/*
 * What the Worker tells the TenantHub after it wrote a ticket change to D1 (TenantHub
 * ticketChanged). The hub re-reads the ticket itself: this only says which ticket, what
 * kind of change, and (for the integration event) which fields moved from what to what.
 */

export const TICKET_CHANGE_FIELDS = ['status', 'priority', 'assignee', 'title', 'description'] as const;

const Value = v.nullable(v.pipe(v.string(), v.maxLength(200)));

export const TicketChanged = v.object({
  ticketId: Id,
  /** created: opened (by hand or from an alert); updated: fields changed; responded: first public reply. */
  kind: v.picklist(['created', 'updated', 'responded']),
  changes: v.optional(
    v.pipe(v.array(v.object({ field: v.picklist(TICKET_CHANGE_FIELDS), from: Value, to: Value })), v.maxLength(TICKET_CHANGE_FIELDS.length)),
    [],
  ),
  /** The user who made the change; null for automation. */
  actorId: v.nullable(Id),
  at: Timestamp,
});
export type TicketChanged = v.InferOutput<typeof TicketChanged>;
/** What callers pass (`changes` may be left out). */
export type TicketChangedInput = v.InferInput<typeof TicketChanged>;
