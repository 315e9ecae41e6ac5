import { A } from '@solidjs/router';
import { For, type JSX } from 'solid-js';

export const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'metrics', label: 'Metrics' },
  { id: 'checks', label: 'Checks' },
  { id: 'events', label: 'Event log' },
  { id: 'services', label: 'Services' },
  { id: 'processes', label: 'Processes' },
  { id: 'inventory', label: 'Inventory' },
  { id: 'software', label: 'Software' },
  { id: 'changes', label: 'Changes' },
  { id: 'patches', label: 'Patches' },
  { id: 'actions', label: 'Actions' },
] as const;
export type DeviceTab = (typeof TABS)[number]['id'];

export function parseTab(raw: string | undefined): DeviceTab {
  return TABS.find((t) => t.id === raw)?.id ?? 'overview';
}

/** Links, not buttons: every tab has its own address, so it can be shared and reopened. */
export function DeviceTabs(props: { deviceId: string; tab: DeviceTab }): JSX.Element {
  return (
    <nav class="tabs" aria-label="Device sections">
      <For each={TABS}>
        {(t) => (
          <A
            href={t.id === 'overview' ? `/devices/${props.deviceId}` : `/devices/${props.deviceId}/${t.id}`}
            class="tab"
            classList={{ 'is-active': props.tab === t.id }}
            aria-current={props.tab === t.id ? 'page' : undefined}
            data-testid={`tab-${t.id}`}
            // The router's own active matching would light "Overview" on every sub-path.
            activeClass=""
            inactiveClass=""
          >
            {t.label}
          </A>
        )}
      </For>
    </nav>
  );
}
