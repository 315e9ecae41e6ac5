import type { JSX } from 'solid-js';
import { PatchScan } from '../../../../protocol/patches';
import { loadDevicePatches } from '../../state/patches';
import { parseResult } from '../device/command-data';
import { CommandRefresh, type RefreshCopy } from '../device/command-refresh';
import type { DeviceLive } from '../device/device-live';

const COPY: RefreshCopy = {
  running: 'scanning',
  runningText: 'Scanning on the device…',
  queuedText: 'Queued: the device scans once it is online.',
  storingText: 'Waiting for the server to store the scan…',
  doneText: 'Scan is up to date.',
  failedText: 'The device did not scan.',
  button: 'Scan now',
  busyButton: 'Scanning…',
  buttonTestId: 'scan-now',
  statusTestId: 'scan-status',
};

/**
 * "Scan now": the tab reloads once the server holds a scan at least as new as the one the agent
 * reported (or, when the agent's output is unreadable, any scan other than the one shown before).
 */
export function ScanNow(props: { deviceId: string; live: DeviceLive; scannedAt: number | null; onFresh: () => void; onCommand?: () => void }): JSX.Element {
  return (
    <CommandRefresh
      deviceId={props.deviceId}
      live={props.live}
      command={{ type: 'scan_patches', params: {} }}
      copy={COPY}
      snapshot={() => props.scannedAt}
      isStored={async (cmd, before) => {
        const reported = parseResult(PatchScan, cmd.output())?.scannedAt ?? null;
        const stored = (await loadDevicePatches(props.deviceId).catch(() => null))?.scannedAt ?? null;
        return stored !== null && (reported !== null ? stored >= reported : stored !== before);
      }}
      onFresh={props.onFresh}
      onCommand={props.onCommand}
    />
  );
}
