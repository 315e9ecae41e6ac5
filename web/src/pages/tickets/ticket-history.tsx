import { For, type JSX } from 'solid-js';
import { formatDateTimeSeconds } from '../../lib/format';
import type { TicketDetail } from '../../state/tickets';

type TicketEvent = TicketDetail['events'][number];

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : v === null ? 'unassigned' : '');

/** One line per event; detail values are shown as text, whatever they hold. */
export function describeEvent(e: TicketEvent, who: (id: string | null) => string): string {
  const d = e.detail ?? {};
  switch (e.kind) {
    case 'created':
      return 'Opened';
    case 'status':
    case 'priority':
      return `${e.kind[0]!.toUpperCase()}${e.kind.slice(1)}: ${str(d.from)} → ${str(d.to)}`;
    case 'assignee':
      return `Assignee: ${who(typeof d.from === 'string' ? d.from : null)} → ${who(typeof d.to === 'string' ? d.to : null)}`;
    case 'title':
      return `Title changed to “${str(d.to)}”`;
    case 'description':
      return 'Description edited';
    case 'comment':
      return d.internal ? 'Internal note added' : 'Reply added';
    case 'time':
      return `${str(d.minutes)} min logged${d.billable ? ' (billable)' : ''}`;
    case 'time_removed':
      return `${str(d.minutes)} min removed`;
    case 'sla_paused':
      return 'Resolution clock paused';
    case 'sla_resumed':
      return `Resolution clock resumed (+${str(d.pausedMinutes)} business min)`;
    case 'attachment':
      return `File attached: ${str(d.filename)}`;
    default:
      return e.kind.replace(/_/g, ' ');
  }
}

export function TicketHistory(props: { events: TicketEvent[]; who: (id: string | null) => string }): JSX.Element {
  return (
    <ol class="timeline" data-testid="ticket-history">
      <For each={[...props.events].reverse()}>
        {(e) => (
          <li class="timeline-item">
            <span class="muted small">{formatDateTimeSeconds(e.at)}</span> <span>{describeEvent(e, props.who)}</span>
            <span class="muted small"> · {e.actorId ? props.who(e.actorId) : 'automation'}</span>
          </li>
        )}
      </For>
    </ol>
  );
}
