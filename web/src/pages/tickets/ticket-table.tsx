import { For, type JSX } from 'solid-js';
import { now } from '../../lib/clock';
import { followCursor } from '../../lib/follow-cursor';
import { formatDateTime, relativeTime } from '../../lib/format';
import type { Ticket } from '../../state/tickets';
import { PriorityBadge, SlaDue, TicketStatusBadge } from './ticket-badges';
import type { Selection } from '../../lib/selection';

/** The queue's rows. Titles, hostnames and client names are user or agent text: text nodes only. */
export function TicketTable(props: {
  items: Ticket[];
  selection: Selection;
  assignee: (id: string | null) => string;
  onOpen: (id: string) => void;
}): JSX.Element {
  let body!: HTMLTableSectionElement;
  const sel = props.selection;
  const allSelected = () => props.items.length > 0 && sel.selected().size === props.items.length;
  followCursor(sel.cursor, () => body);

  return (
    <table class="table alert-table" data-testid="tickets-table" aria-label="Tickets" aria-multiselectable="true">
      <thead>
        <tr>
          <th class="check-col">
            <input type="checkbox" aria-label="Select all loaded tickets" checked={allSelected()} onChange={(e) => (e.currentTarget.checked ? sel.selectAll() : sel.clear())} />
          </th>
          <th>#</th>
          <th class="col-wide">Title</th>
          <th>Client</th>
          <th>Device</th>
          <th>Priority</th>
          <th>Status</th>
          <th>Assignee</th>
          <th>Updated</th>
          <th>SLA due</th>
        </tr>
      </thead>
      <tbody ref={body}>
        <For each={props.items}>
          {(t, i) => (
            <tr
              data-testid="ticket-row"
              data-ticket-id={t.id}
              data-index={i()}
              aria-selected={sel.cursor() === i()}
              classList={{ 'is-cursor': sel.cursor() === i(), 'is-selected': sel.selected().has(t.id) }}
              onClick={() => {
                sel.move(i());
                props.onOpen(t.id);
              }}
            >
              <td class="check-col" onClick={(e) => e.stopPropagation()}>
                <input
                  type="checkbox"
                  data-testid="ticket-select"
                  aria-label={`Select ticket ${t.number}`}
                  checked={sel.selected().has(t.id)}
                  onClick={() => {
                    sel.toggle(t.id);
                    sel.move(i());
                  }}
                />
              </td>
              <td class="nowrap mono" data-testid="ticket-number">#{t.number}</td>
              <td class="ellipsis" title={t.title} data-testid="ticket-title">
                {t.title}
              </td>
              <td class="nowrap">{t.clientName ?? t.clientId}</td>
              <td class="nowrap">{t.hostname ?? (t.deviceId ? t.deviceId : '—')}</td>
              <td>
                <PriorityBadge priority={t.priority} testId="ticket-priority" />
              </td>
              <td>
                <TicketStatusBadge status={t.status} testId="ticket-status" />
              </td>
              <td class="nowrap" data-testid="ticket-assignee">{props.assignee(t.assigneeId)}</td>
              <td class="nowrap" title={formatDateTime(t.updatedAt)}>
                {relativeTime(t.updatedAt, now())}
              </td>
              <td class="nowrap">
                <SlaDue ticket={t} />
              </td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}
