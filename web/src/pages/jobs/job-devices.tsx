import { createEffect, For, on, Show, type JSX } from 'solid-js';
import { formatMs } from '../../lib/format';
import { createPagedList } from '../../lib/paged-list';
import { createThrottled } from '../../lib/throttled';
import { onCommandEvent } from '../../state/tenant-feed';
import { listJobDeviceRows, onJobFrame, onJobsResync, type JobDevice, type JobDeviceRow } from '../../state/jobs';
import { PagedListBody } from '../../components/paged-list-body';
import { SegmentedFilter } from '../../components/segmented-filter';
import { COMMAND_TONE } from '../device/command-status';

export const DEVICE_STATES = ['pending', 'active', 'succeeded', 'failed', 'skipped'] as const;

const TONE: Record<string, string> = { ...COMMAND_TONE, pending: 'muted' };

/**
 * A job's devices and how each went. Command frames of this job and job frames make the
 * list load again, at most once a second, so 1 000 devices finishing do not mean 1 000 reloads.
 */
export function JobDevices(props: { jobId: string; state: string; onState: (s: string) => void; selected: string | null; onOpen: (d: JobDevice) => void }): JSX.Element {
  const list = createPagedList<JobDeviceRow>((cursor) => listJobDeviceRows(props.jobId, props.state, cursor));
  createEffect(on(() => props.state, () => void list.reload()));

  const refresh = createThrottled(() => void list.reload(), 1000);
  onCommandEvent((e) => e.jobId === props.jobId && refresh());
  onJobFrame((j) => j.id === props.jobId && refresh());
  onJobsResync(refresh);

  return (
    <section class="panel">
      <div class="panel-head">
        <h2>Devices</h2>
        <span class="spacer" />
        <SegmentedFilter options={DEVICE_STATES} value={props.state} onPick={props.onState} label="Filter devices by state" testIdPrefix="job-devices-" />
      </div>
      <PagedListBody list={list} noun="devices" moreTestId="job-devices-more" empty={<span>No device in this state.</span>}>
        <table class="table table-click" data-testid="job-devices">
          <thead>
            <tr>
              <th>Device</th>
              <th>Status</th>
              <th class="num">Exit</th>
              <th class="num">Duration</th>
              <th class="num">Attempt</th>
              <th class="col-wide">Error</th>
            </tr>
          </thead>
          <tbody>
            <For each={list.items()}>
              {(d) => (
                <tr
                  data-testid="job-device-row"
                  data-status={d.status}
                  data-host={d.hostname}
                  classList={{ 'is-selected': props.selected === d.deviceId, 'is-dim': !d.commandId }}
                  tabIndex={d.commandId ? 0 : -1}
                  onClick={() => d.commandId && props.onOpen(d)}
                  onKeyDown={(e) => e.key === 'Enter' && d.commandId && props.onOpen(d)}
                >
                  <td class="mono">
                    {d.hostname}
                    <Show when={!d.online}>
                      <span class="muted small"> (offline)</span>
                    </Show>
                  </td>
                  <td>
                    <span class={`badge badge-${TONE[d.status] ?? 'info'}`}>{d.status.replace('_', ' ')}</span>
                  </td>
                  <td class="num mono">{d.exitCode ?? ''}</td>
                  <td class="num">{formatMs(d.durationMs)}</td>
                  <td class="num">{d.attempt || ''}</td>
                  <td class="small ellipsis" title={d.error ?? ''}>
                    {d.error ?? ''}
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </PagedListBody>
    </section>
  );
}
