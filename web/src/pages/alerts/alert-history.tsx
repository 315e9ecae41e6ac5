import { createResource, For, Show, type JSX } from 'solid-js';
import type { AlertEvent } from '../../../../protocol/api/alerts';
import { formatDateTimeSeconds } from '../../lib/format';
import { settled } from '../../lib/resource';
import { me } from '../../state/session';
import { userNames } from '../../state/users';

const KIND_LABEL: Record<string, string> = {
  opened: 'Opened',
  breach: 'Breached again',
  clear: 'Condition cleared',
  severity: 'Severity changed',
  flapping: 'Flapping',
  suppressed: 'Suppressed by maintenance',
  maintenance_ended: 'Maintenance ended',
  escalated: 'Escalated',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};

/** Detail fields worth a line, in reading order; anything else is shown as key: value. */
const KNOWN = ['message', 'note', 'value', 'from', 'to', 'policy', 'tier', 'round', 'window', 'until', 'held'] as const;

function detailLines(detail: Record<string, unknown> | null, name: (id: string) => string): string[] {
  if (!detail) return [];
  const lines: string[] = [];
  const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));
  if (typeof detail.message === 'string') lines.push(detail.message);
  if (typeof detail.note === 'string') lines.push(`Note: ${detail.note}`);
  if (detail.from !== undefined) lines.push(`${text(detail.from)} → ${text(detail.to)}`);
  if (typeof detail.policy === 'string') lines.push(`Policy ${detail.policy}, tier ${text(detail.tier)}${detail.round ? `, round ${text(detail.round)}` : ''}`);
  if (Array.isArray(detail.notified)) lines.push(`Notified: ${detail.notified.map((id) => name(String(id))).join(', ') || 'nobody'}`);
  if (typeof detail.window === 'string') lines.push(`Window ${detail.window}${typeof detail.until === 'number' ? ` until ${formatDateTimeSeconds(detail.until)}` : ''}`);
  if (detail.held) lines.push('Held open until it settles');
  for (const [k, v] of Object.entries(detail)) {
    if ((KNOWN as readonly string[]).includes(k) || k === 'notified' || k === 'severity' || k === 'windowId' || v == null) continue;
    lines.push(`${k}: ${text(v)}`);
  }
  return lines;
}

/** An alert's history, oldest first. Messages carry agent text: text nodes only. */
export function AlertHistory(props: { events: AlertEvent[] }): JSX.Element {
  const [names] = createResource(userNames);
  const name = (id: string) => {
    if (id === 'auto') return 'automatically';
    if (id === me()?.user.id) return 'you';
    return settled(names)?.get(id) ?? id;
  };
  return (
    <ol class="timeline" data-testid="alert-history">
      <For each={props.events} fallback={<li class="muted">No history recorded.</li>}>
        {(e) => (
          <li class={`timeline-item kind-${e.kind}`} data-testid="alert-event">
            <div class="row gap">
              <strong>{KIND_LABEL[e.kind] ?? e.kind}</strong>
              <Show when={e.actorId}>{(actor) => <span class="muted">by {name(actor())}</span>}</Show>
              <span class="spacer" />
              <span class="muted small nowrap">{formatDateTimeSeconds(e.at)}</span>
            </div>
            <For each={detailLines(e.detail, name)}>{(line) => <div class="timeline-detail">{line}</div>}</For>
          </li>
        )}
      </For>
    </ol>
  );
}
