import { createResource, createSignal, Match, Show, Switch, type JSX } from 'solid-js';
import { describeFailure } from '../../api/errors';
import { now } from '../../lib/clock';
import { relativeTime } from '../../lib/format';
import { settled } from '../../lib/resource';
import { Empty, Loading } from '../../components/feedback';
import type { DeviceLive } from './device-live';
import { loadInventory } from './inventory-data';
import { InventoryRefresh } from './inventory-refresh';
import { InventoryTab } from './inventory-tab';
import { SoftwareTab } from './software-tab';
import { ChangesTab } from './changes-tab';
import '../../styles/inventory.css';

export type InventoryAreaTab = 'inventory' | 'software' | 'changes';

/**
 * The Inventory, Software and Changes tabs under one bar: when the snapshot was collected and
 * "Refresh inventory", whose completion reloads whichever tab is open.
 */
export default function InventoryArea(props: { deviceId: string; live: DeviceLive; tab: InventoryAreaTab }): JSX.Element {
  const [version, setVersion] = createSignal(0);
  const [view, { refetch }] = createResource(
    () => [props.deviceId, version()] as const,
    ([id]) => loadInventory(id),
  );
  const inv = () => settled(view)?.inventory ?? null;
  return (
    <div class="stack">
      <div class="toolbar inventory-bar" data-testid="inventory-bar">
        <Show when={inv()} fallback={<span class="muted small">{view.loading ? '' : 'No inventory yet.'}</span>}>
          {(i) => (
            <span class="muted small" title={`snapshot ${i().hash.slice(0, 12)}`}>
              Collected {relativeTime(i().collectedAt, now())} · {i().softwareCount.toLocaleString()} software items
            </span>
          )}
        </Show>
        <span class="spacer" />
        <InventoryRefresh deviceId={props.deviceId} live={props.live} hash={inv()?.hash ?? null} onFresh={() => setVersion((v) => v + 1)} />
      </div>
      <Switch>
        <Match when={props.tab === 'software'}>
          <SoftwareTab deviceId={props.deviceId} version={version()} />
        </Match>
        <Match when={props.tab === 'changes'}>
          <ChangesTab deviceId={props.deviceId} version={version()} />
        </Match>
        <Match when={view.error && !settled(view)}>
          <Empty>
            Could not load the inventory: {describeFailure(view.error)}{' '}
            <button type="button" class="btn btn-small" onClick={() => void refetch()}>
              Retry
            </button>
          </Empty>
        </Match>
        <Match when={settled(view)}>{(v) => <InventoryTab deviceId={props.deviceId} view={v()} />}</Match>
        <Match when={true}>
          <Loading label="Loading inventory…" />
        </Match>
      </Switch>
    </div>
  );
}
