import { createEffect, For, on, onCleanup, Show, type JSX } from 'solid-js';
import { formatMs } from '../../lib/format';
import { createPagedList } from '../../lib/paged-list';
import { onCommandEvent } from '../../state/tenant-feed';
import { listJobDevices, onJobFrame, onJobsResync, type JobDevice } from '../../state/jobs';
import { PagedListBody } from '../../components/paged-list-body';
import { COMMAND_TONE } from '../device/command-status';

export const DEVICE_STATES = ['pending', 'active', 'succeeded', 'failed', 'skipped'] as const;

const TONE: Record<string, string> = { ...COMMAND_TONE, pending: 'muted' };

/**
 * A job's devices and how each went. Command frames of this job and job frames make the
 * list load again, at most once a second, so 1 000 devices finishing do not mean 1 000 reloads.
 */
export function JobDevices(props: { jobId: string; state: string; onState: (s: string) => void; selected: string | null; onOpen: (d: JobDevice) => void }): JSX.Element {
  const list = createPagedList<JobDevice & { id: string }>(async (cursor) => {
    const page = await listJobDevices(props.jobId, props.state ? { status: props.state } : {}, cursor);
    return { items: page.items.map((d) => ({ ...d, id: d.deviceId })), nextCursor: page.nextCursor };
  });
  createEffect(on(() => props.state, () => void list.reload()));

  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = 0;
  const refresh = () => {
    if (timer) return;
    const wait = Math.max(0, last + 1000 - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      last = Date.now();
      void list.reload();
    }, wait);
  };
  onCleanup(() => clearTimeout(timer));
  onCommandEvent((e) => e.jobId === props.jobId && refresh());
  onJobFrame((j) => j.id === props.jobId && refresh());
  onJobsResync(refresh);

  return (
    <section class="panel">
      <div class="panel-head">
        <h2>Devices</h2>
        <span class="spacer" />
        <div class="segmented" role="group" aria-label="Filter devices by state">
          <For each={['', ...DEVICE_STATES]}>
            {(s) => (
              <button type="button" class="btn btn-small" classList={{ 'is-active': props.state === s }} aria-pressed={props.state === s} data-testid={`job-devices-${s || 'all'}`} onClick={() => props.onState(s)}>
                {s || 'all'}
              </button>
            )}
          </For>
        </div>
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
