import { Show, type JSX } from 'solid-js';
import { formatDateTime, relativeTime } from '../../lib/format';
import { now } from '../../lib/clock';
import type { Ticket, TicketPriority, TicketStatus } from '../../state/tickets';

const PRIORITY_TONE: Record<TicketPriority, string> = { urgent: 'bad', high: 'warn', normal: 'info', low: '' };
const STATUS_TONE: Record<TicketStatus, string> = { new: 'bad', open: 'warn', pending: 'info', resolved: 'ok', closed: '' };

export function PriorityBadge(props: { priority: TicketPriority; testId?: string }): JSX.Element {
  return (
    <span class={`badge badge-${PRIORITY_TONE[props.priority]}`} data-testid={props.testId}>
      {props.priority}
    </span>
  );
}

export function TicketStatusBadge(props: { status: TicketStatus; testId?: string }): JSX.Element {
  return (
    <span class={`badge badge-${STATUS_TONE[props.status]}`} data-testid={props.testId}>
      {props.status}
    </span>
  );
}

/** The clock that matters now: first response until someone answered, then resolution. */
export function nextDue(t: Ticket): { due: number; breached: boolean; what: string } | null {
  if (t.status === 'resolved' || t.status === 'closed') return null;
  if (t.firstResponseAt === null && t.firstResponseDueAt !== null) {
    return { due: t.firstResponseDueAt, breached: t.firstResponseBreachedAt !== null, what: 'first response' };
  }
  if (t.resolutionDueAt !== null) return { due: t.resolutionDueAt, breached: t.resolutionBreachedAt !== null, what: 'resolution' };
  return null;
}

/** Red once the due time has passed (or the hub marked it breached); words say it too. */
export function SlaDue(props: { ticket: Ticket }): JSX.Element {
  return (
    <Show when={nextDue(props.ticket)} fallback={<span class="muted">—</span>}>
      {(d) => {
        const late = () => d().breached || d().due < now();
        return (
          <span class={late() ? 'sla-late' : ''} title={`${d().what} due ${formatDateTime(d().due)}`} data-testid="ticket-sla">
            {late() ? 'overdue ' : ''}
            {relativeTime(d().due, now())}
          </span>
        );
      }}
    </Show>
  );
}
