import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { describeFailure } from '../../api/errors';
import { now } from '../../lib/clock';
import { formatDateTime, relativeTime } from '../../lib/format';
import { settled } from '../../lib/resource';
import { loadDevicePatches, type DevicePatches } from '../../state/patches';
import { Empty, Loading } from '../../components/feedback';
import { ApprovalBadge, PatchKindCells } from '../patches/patch-badges';
import { InstallApproved } from '../patches/install-approved';
import { ScanNow } from '../patches/scan-now';
import type { DeviceLive } from './device-live';
import '../patches/patches.css';

/** The device's last patch scan: what it is missing, each update's approval, scan and install on demand. */
export default function PatchesTab(props: { deviceId: string; live: DeviceLive; onCommand?: () => void }): JSX.Element {
  const [version, setVersion] = createSignal(0);
  const [data] = createResource(() => ({ id: props.deviceId, v: version() }), ({ id }) => loadDevicePatches(id));
  const reload = () => setVersion((v) => v + 1);
  const approved = (d: DevicePatches) => d.items.filter((p) => p.approval === 'approved').length;

  return (
    <section class="panel" data-testid="patches-tab">
      <Show when={!data.error} fallback={<Empty>Could not load the device's patches: {describeFailure(data.error)}</Empty>}>
        <Show when={settled(data)} fallback={<Loading label="Loading patches…" />}>
          {(d) => (
            <>
              <div class="panel-head patch-scan-head">
                <h2>Patches</h2>
                <span class="muted">
                  Last scan:{' '}
                  <span data-testid="patch-scan-time" data-scanned-at={d().scannedAt ?? ''} title={formatDateTime(d().scannedAt)}>
                    {d().scannedAt ? relativeTime(d().scannedAt, now()) : 'never'}
                  </span>
                </span>
                <Show when={d().rebootPending}>
                  <span class="badge badge-warn" data-testid="patch-reboot-pending" title="The operating system says a restart is waiting">
                    reboot pending
                  </span>
                </Show>
                <span class="spacer" />
                <ScanNow deviceId={props.deviceId} live={props.live} scannedAt={d().scannedAt} onFresh={reload} onCommand={props.onCommand} />
                <InstallApproved deviceId={props.deviceId} live={props.live} approved={approved(d())} onDone={reload} onCommand={props.onCommand} />
              </div>
              <Show when={d().errors.length}>
                <div class="patch-scan-errors-box" role="status" data-testid="patch-scan-errors">
                  <strong class="warn-text">Some sources could not be read; their updates are unknown, not absent:</strong>
                  <ul class="patch-scan-errors">
                    <For each={d().errors}>{(e) => <li>{e}</li>}</For>
                  </ul>
                </div>
              </Show>
              <Show
                when={d().items.length}
                fallback={<Empty><span data-testid="patches-none">{d().scannedAt ? 'Nothing missing: every update the last scan knew of is installed.' : 'Not scanned yet. Scan now to see what is missing.'}</span></Empty>}
              >
                <table class="table" data-testid="device-patches-table">
                  <thead>
                    <tr>
                      <th class="col-wide">Update</th>
                      <th>Version</th>
                      <th>Source</th>
                      <th>Classification</th>
                      <th>Severity</th>
                      <th>CVEs</th>
                      <th>Approval</th>
                      <th>First seen</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={d().items}>
                      {(p) => (
                        <tr data-testid="device-patch-row" data-patch-key={p.key}>
                          <td>
                            <div class="cell-strong">{p.title}</div>
                            <Show when={p.name !== p.title}>
                              <div class="muted small mono">{p.name}</div>
                            </Show>
                            <Show when={p.rebootRequired}>
                              <span class="badge badge-quiet">needs reboot</span>
                            </Show>
                          </td>
                          <td class="mono small nowrap">
                            {p.installedVersion ?? '—'} → {p.availableVersion ?? '?'}
                          </td>
                          <PatchKindCells patch={p} />
                          <td>
                            <ApprovalBadge approval={p.approval} source={p.approvalSource} />
                          </td>
                          <td class="nowrap" title={formatDateTime(p.firstSeenAt)}>
                            {relativeTime(p.firstSeenAt, now())}
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </Show>
            </>
          )}
        </Show>
      </Show>
    </section>
  );
}
