import { Show, type JSX } from 'solid-js';
import { deviceById } from '../../state/devices';
import { now } from '../../lib/clock';
import { formatDateTime, relativeTime } from '../../lib/format';
import { StatusDot } from '../../components/status-dot';
import { osLabel } from './device-query';

/**
 * One virtualized row. It reads the live store node, so a status frame repaints this
 * row's cells without re-rendering the list. Every agent-reported value is a text node.
 */
export function DeviceRow(props: {
  id: string;
  top: number;
  index: number;
  selected: boolean;
  onOpen: (id: string) => void;
  onSelect: (index: number) => void;
}): JSX.Element {
  const d = () => deviceById(props.id);
  return (
    <Show when={d()}>
      {(device) => (
        <div
          role="row"
          class="grid-row device-grid"
          classList={{ 'is-selected': props.selected, 'is-offline': device().status === 'offline' }}
          style={{ transform: `translateY(${props.top}px)` }}
          data-testid="device-row"
          data-device-id={props.id}
          aria-selected={props.selected}
          onMouseDown={() => props.onSelect(props.index)}
          onClick={() => props.onOpen(props.id)}
        >
          <div role="gridcell" class="cell">
            <StatusDot status={device().status} testId="device-status" />
          </div>
          <div role="gridcell" class="cell cell-strong">
            <span data-testid="device-hostname">{device().hostname}</span>
            <Show when={device().displayName}>
              {(name) => <span class="muted cell-sub">{name()}</span>}
            </Show>
          </div>
          <div role="gridcell" class="cell">{device().clientName}</div>
          <div role="gridcell" class="cell">{device().siteName}</div>
          <div role="gridcell" class="cell">{osLabel(device())}</div>
          <div role="gridcell" class="cell mono">{(device().ipAddresses ?? [])[0] ?? ''}</div>
          <div role="gridcell" class="cell mono">{device().agentVersion}</div>
          <div role="gridcell" class="cell" title={formatDateTime(device().lastSeenAt)}>
            {device().status === 'online' ? 'now' : relativeTime(device().lastSeenAt, now())}
          </div>
        </div>
      )}
    </Show>
  );
}
