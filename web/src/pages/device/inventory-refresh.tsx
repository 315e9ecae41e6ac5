import type { JSX } from 'solid-js';
import { CollectInventoryResult } from '../../../../protocol/command';
import { parseResult } from './command-data';
import { CommandRefresh, type RefreshCopy } from './command-refresh';
import type { DeviceLive } from './device-live';
import { loadInventory } from './inventory-data';

const COPY: RefreshCopy = {
  running: 'collecting',
  runningText: 'Collecting on the device…',
  queuedText: 'Queued: the device collects once it is online.',
  storingText: 'Waiting for the server to store it…',
  doneText: 'Inventory is up to date.',
  failedText: 'The device did not collect its inventory.',
  button: 'Refresh inventory',
  busyButton: 'Refreshing…',
  buttonTestId: 'refresh-inventory',
  statusTestId: 'inventory-refresh-status',
};

/**
 * "Refresh inventory": the tabs reload once the server holds the snapshot the agent named (its
 * hash), or, when the agent's output is unreadable, any snapshot other than the one shown before.
 */
export function InventoryRefresh(props: { deviceId: string; live: DeviceLive; hash: string | null; onFresh: () => void }): JSX.Element {
  return (
    <CommandRefresh
      as="div"
      class="inventory-refresh"
      deviceId={props.deviceId}
      live={props.live}
      command={{ type: 'collect_inventory', params: {} }}
      copy={COPY}
      snapshot={() => props.hash}
      isStored={async (cmd, before) => {
        const result = parseResult(CollectInventoryResult, cmd.output());
        const hash = (await loadInventory(props.deviceId).catch(() => null))?.inventory?.hash ?? null;
        return result ? hash === result.hash : hash !== before && hash !== null;
      }}
      onFresh={props.onFresh}
    />
  );
}
