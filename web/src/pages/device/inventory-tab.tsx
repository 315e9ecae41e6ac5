import { Show, type JSX } from 'solid-js';
import { formatDateTime } from '../../lib/format';
import { Empty } from '../../components/feedback';
import type { DeviceInventoryView } from './inventory-data';
import { OsCard } from './inventory-os';
import { HardwareSections } from './inventory-hardware';
import { PeripheralSections } from './inventory-peripherals';
import { LifecycleCard } from './lifecycle-card';

/** The inventory's hardware and OS, or why there is none yet. */
export function InventoryTab(props: { deviceId: string; view: DeviceInventoryView }): JSX.Element {
  return (
    <div class="stack" data-testid="inventory-tab">
      <Show when={props.view.rejected.count > 0}>
        <div class="banner banner-warn" role="status" data-testid="inventory-rejected">
          The server refused {props.view.rejected.count} inventory {props.view.rejected.count === 1 ? 'frame' : 'frames'} from this device
          {props.view.rejected.lastAt ? `, last on ${formatDateTime(props.view.rejected.lastAt)}` : ''}
          {props.view.rejected.lastReason ? `: ${props.view.rejected.lastReason}` : '.'}
        </div>
      </Show>
      <Show
        when={props.view.inventory}
        fallback={
          <Empty>
            <span data-testid="inventory-never">No inventory received from this device yet. It arrives shortly after the agent connects; Refresh inventory asks for it now.</span>
          </Empty>
        }
      >
        {(inv) => (
          <>
            <div class="split">
              <OsCard inventory={inv()} eol={props.view.osEndOfLife} />
              <LifecycleCard deviceId={props.deviceId} />
            </div>
            <HardwareSections hw={inv().hardware} />
            <PeripheralSections hw={inv().hardware} />
          </>
        )}
      </Show>
    </div>
  );
}
