import { Show, type JSX } from 'solid-js';
import type { MetricsSample } from '../../../../protocol/metrics';
import { can } from '../../state/session';
import type { DeviceLive } from './device-live';
import type { TrackedCommand } from './command-tracker';
import { DeviceSummary } from './device-summary';
import { DeviceTags } from './device-tags';
import { DeviceMove } from './device-move';
import { DeviceGroupAdd } from './device-group-add';
import { DeviceInventory } from './device-inventory';
import { WarrantyCard } from './warranty-card';
import { MetricsChart } from './metrics-chart';
import { ScriptRunner } from './script-runner';
import { CommandHistory } from './command-history';
import type { DeviceDetail } from './device-types';

/**
 * The device at a glance: facts, placement, the live hour, and the script console. The
 * command being watched belongs to the page, so it survives a look at another tab.
 */
export function DeviceOverview(props: {
  device: DeviceDetail;
  live: DeviceLive;
  online: boolean;
  lastSeenAt: number | null;
  sample: MetricsSample | null;
  ipAddresses: string[];
  saveTags: (tags: string[]) => Promise<void>;
  onMoved: (d: DeviceDetail) => void;
  viewing: TrackedCommand | null;
  setViewing: (cmd: TrackedCommand) => void;
  historyVersion: number;
  bumpHistory: () => void;
  openCommand: (id: string) => void;
}): JSX.Element {
  return (
    <div class="device-layout">
      <div class="device-col">
        <DeviceSummary device={props.device} online={props.online} lastSeenAt={props.lastSeenAt} uptimeSeconds={props.sample?.uptimeSeconds ?? null} ipAddresses={props.ipAddresses} />
        <section class="panel">
          <div class="panel-head">
            <h2>Tags</h2>
          </div>
          <DeviceTags tags={props.device.tags ?? []} save={props.saveTags} />
        </section>
        <Show when={can('technician')}>
          <section class="panel" data-testid="device-placement">
            <div class="panel-head">
              <h2>Site & groups</h2>
            </div>
            <DeviceMove device={props.device} onMoved={props.onMoved} />
            <Show when={can('admin')}>
              <DeviceGroupAdd deviceId={props.device.id} />
            </Show>
          </section>
        </Show>
        <DeviceInventory sample={props.sample} />
        <WarrantyCard deviceId={props.device.id} />
      </div>
      <div class="device-col device-col-wide">
        <section class="panel">
          <div class="panel-head">
            <h2>Performance</h2>
            <span class="muted">last hour · live</span>
            <span class="spacer" />
            <Show when={props.sample}>
              {(s) => (
                <span class="muted mono small">
                  CPU {s().cpuPercent.toFixed(1)}% · Mem {((s().memUsedBytes / Math.max(1, s().memTotalBytes)) * 100).toFixed(1)}%
                </span>
              )}
            </Show>
          </div>
          <MetricsChart deviceId={props.device.id} live={props.live} />
        </section>
        <ScriptRunner
          deviceId={props.device.id}
          osPlatform={props.device.osPlatform}
          live={props.live}
          viewing={props.viewing}
          onStarted={(cmd) => {
            props.setViewing(cmd);
            props.bumpHistory();
          }}
          onFinished={props.bumpHistory}
        />
        <CommandHistory deviceId={props.device.id} version={props.historyVersion} selectedId={props.viewing?.id ?? null} onSelect={props.openCommand} />
      </div>
    </div>
  );
}
