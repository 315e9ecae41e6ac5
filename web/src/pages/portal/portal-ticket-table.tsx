import { A, useNavigate } from '@solidjs/router';
import { For, type JSX } from 'solid-js';
import { now } from '../../lib/clock';
import { followCursor } from '../../lib/follow-cursor';
import { formatDateTime, relativeTime } from '../../lib/format';
import type { PortalTicket } from '../../state/portal';
import { PriorityBadge, TicketStatusBadge } from '../tickets/ticket-badges';

/**
 * The client's ticket rows. Each title is a real link (middle-click, screen readers); the
 * row around it follows the keyboard cursor. Titles and hostnames are text nodes only.
 */
export function PortalTicketTable(props: { items: PortalTicket[]; cursor: number; onCursor: (i: number) => void }): JSX.Element {
  const navigate = useNavigate();
  let body!: HTMLTableSectionElement;
  followCursor(() => props.cursor, () => body);

  return (
    <table class="table table-click portal-table" data-testid="portal-tickets-table" aria-label="Tickets">
      <thead>
        <tr>
          <th>#</th>
          <th class="col-wide">Title</th>
          <th>Device</th>
          <th>Priority</th>
          <th>Status</th>
          <th>Opened by</th>
          <th>Updated</th>
        </tr>
      </thead>
      <tbody ref={body}>
        <For each={props.items}>
          {(t, i) => (
            <tr
              data-testid="portal-ticket-row"
              data-ticket-id={t.id}
              data-index={i()}
              aria-selected={props.cursor === i()}
              classList={{ 'is-cursor': props.cursor === i() }}
              onClick={(e) => {
                props.onCursor(i());
                if (!(e.target instanceof HTMLElement && e.target.closest('a'))) navigate(`/portal/tickets/${t.id}`);
              }}
            >
              <td class="nowrap mono" data-testid="portal-ticket-number">#{t.number}</td>
              <td class="ellipsis" title={t.title}>
                <A href={`/portal/tickets/${t.id}`} data-testid="portal-ticket-title">
                  {t.title}
                </A>
              </td>
              <td class="nowrap">{t.hostname ?? '—'}</td>
              <td>
                <PriorityBadge priority={t.priority} testId="portal-ticket-priority" />
              </td>
              <td>
                <TicketStatusBadge status={t.status} testId="portal-ticket-status" />
              </td>
              <td class="nowrap">{t.mine ? 'me' : (t.requesterName ?? 'support')}</td>
              <td class="nowrap" title={formatDateTime(t.updatedAt)}>
                {relativeTime(t.updatedAt, now())}
              </td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}
