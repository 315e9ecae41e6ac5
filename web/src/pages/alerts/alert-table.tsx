import { createEffect, For, on, Show, type JSX } from 'solid-js';
import { now } from '../../lib/clock';
import { formatDateTime, relativeTime } from '../../lib/format';
import type { Alert } from '../../state/alerts';
import { AlertStatusBadge, SeverityBadge } from '../../components/severity';
import type { Selection } from '../../lib/selection';

/**
 * The alert rows. Hostnames and messages come from agents: text nodes only. The keyboard
 * cursor is `aria-selected`; the checkboxes hold the multi-selection.
 */
export function AlertTable(props: {
  items: Alert[];
  selection: Selection;
  openId: string | null;
  onOpen: (id: string) => void;
  /** Rows kept in place although they no longer match the filter (resolved under an active view). */
  stale: (a: Alert) => boolean;
}): JSX.Element {
  let body!: HTMLTableSectionElement;
  const sel = props.selection;
  const allSelected = () => props.items.length > 0 && sel.selected().size === props.items.length;

  // Keep the keyboard's row in view as it moves.
  createEffect(on(sel.cursor, (i) => body.querySelector<HTMLElement>(`tr[data-index="${i}"]`)?.scrollIntoView({ block: 'nearest' }), { defer: true }));

  return (
    <table class="table alert-table" data-testid="alerts-table" aria-label="Alerts" aria-multiselectable="true">
      <thead>
        <tr>
          <th class="check-col">
            <input
              type="checkbox"
              aria-label="Select all loaded alerts"
              checked={allSelected()}
              onChange={(e) => (e.currentTarget.checked ? sel.selectAll() : sel.clear())}
            />
          </th>
          <th>Severity</th>
          <th>Status</th>
          <th>Device</th>
          <th>Check</th>
          <th class="col-wide">Message</th>
          <th>Opened</th>
        </tr>
      </thead>
      <tbody ref={body}>
        <For each={props.items}>
          {(a, i) => (
            <tr
              data-testid="alert-row"
              data-alert-id={a.id}
              data-index={i()}
              aria-selected={sel.cursor() === i()}
              classList={{
                'is-cursor': sel.cursor() === i(),
                'is-selected': sel.selected().has(a.id),
                'is-open-detail': props.openId === a.id,
                'is-dim': props.stale(a),
              }}
              onClick={() => {
                sel.move(i());
                props.onOpen(a.id);
              }}
            >
              <td class="check-col" onClick={(e) => e.stopPropagation()}>
                <input
                  type="checkbox"
                  data-testid="alert-select"
                  aria-label={`Select alert ${a.checkName} on ${a.hostname ?? a.deviceId}`}
                  checked={sel.selected().has(a.id)}
                  onClick={(e) => {
                    if (e.shiftKey) {
                      e.preventDefault();
                      sel.toggleRange(i());
                    } else sel.toggle(a.id);
                    sel.move(i());
                  }}
                />
              </td>
              <td>
                <SeverityBadge severity={a.severity} />
              </td>
              <td class="nowrap">
                <AlertStatusBadge status={a.status} testId="alert-status" />
                <Show when={a.flapping}>
                  {' '}
                  <span class="badge badge-warn" title="Breached again soon after clearing">flapping</span>
                </Show>
                <Show when={a.suppressed}>
                  {' '}
                  <span class="badge" title="Opened during a maintenance window: nobody was notified">maintenance</span>
                </Show>
              </td>
              <td class="nowrap" data-testid="alert-host">
                {a.hostname ?? a.deviceId}
              </td>
              <td class="nowrap">{a.checkName}</td>
              <td class="ellipsis" title={a.message} data-testid="alert-message">
                {a.message}
              </td>
              <td class="nowrap" title={formatDateTime(a.openedAt)}>
                {relativeTime(a.openedAt, now())}
              </td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}
