import { TICKET_CHANGE_FIELDS, type TicketChangedInput } from '../../../protocol/ticket-change';
import type { TicketChange } from './changes';
import { tenantHub } from '../hubs';

/*
 * After a ticket change is in D1, the tenant's hub feeds dashboards, tells integrations
 * (ticket.created / ticket.updated) and sets the SLA timers. The change itself already
 * stands, so a hub that cannot be reached is logged and never fails the request; the SLA
 * job re-reads the ticket when it fires, so a missed call cannot cause a false breach.
 */
export async function tellHub(env: Env, tenantId: string, change: TicketChangedInput): Promise<void> {
  try {
    const { applied } = await tenantHub(env, tenantId).ticketChanged(change);
    if (!applied) console.error('tenant hub did not apply a ticket change', change.ticketId);
  } catch (err) {
    console.error('tenant hub ticketChanged failed', change.ticketId, err);
  }
}

const asText = (value: unknown): string | null => (typeof value === 'string' ? value.slice(0, 200) : null);

type FieldChange = NonNullable<TicketChangedInput['changes']>[number];
const isField = (kind: string): kind is FieldChange['field'] => (TICKET_CHANGE_FIELDS as readonly string[]).includes(kind);

/** A PATCH's history events as the hub's field changes (a description's text stays out). */
export function fieldChanges(change: TicketChange): FieldChange[] {
  return change.events.flatMap((e): FieldChange[] => {
    if (!isField(e.kind)) return [];
    if (e.kind === 'description') return [{ field: e.kind, from: null, to: null }];
    return [{ field: e.kind, from: asText(e.detail.from), to: asText(e.detail.to) }];
  });
}
