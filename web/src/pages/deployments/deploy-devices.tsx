import { A } from '@solidjs/router';
import { For, Show, type JSX } from 'solid-js';
import { formatDateTime } from '../../lib/format';
import { STEP_LABEL, STEPS, type Step } from '../../state/deployments';
import { PagedListBody } from '../../components/paged-list-body';
import { SegmentedFilter } from '../../components/segmented-filter';
import { COMMAND_TONE } from '../device/command-status';
import { DEVICE_STATES } from '../jobs/job-devices';
import { createDeployDeviceList } from './deploy-device-list';
import { StepBadge } from './step-badge';

/**
 * Every device of a deployment with its ring, step (live), command status and error. The
 * status filter asks the server; the step filter narrows the rows loaded so far, since steps
 * move faster than a query could follow.
 */
export function DeployDevices(props: { jobId: string; rings: boolean; status: string; step: string; onFilter: (f: { status?: string; step?: string }) => void }): JSX.Element {
  const list = createDeployDeviceList(props.jobId, () => props.status);
  const stepOf = (d: { step: Step | null }): Step => d.step ?? 'pending';
  const shown = () => (props.step ? list.items().filter((d) => stepOf(d) === props.step) : list.items());

  return (
    <section class="panel">
      <div class="panel-head">
        <h2>Devices</h2>
        <span class="spacer" />
        <SegmentedFilter options={DEVICE_STATES} value={props.status} onPick={(status) => props.onFilter({ status })} label="Filter devices by status" testIdPrefix="deploy-status-" />
        <select class="input select input-small" aria-label="Filter devices by step" data-testid="deploy-filter-step" onChange={(e) => props.onFilter({ step: e.currentTarget.value })}>
          <option value="">Any step</option>
          <For each={STEPS}>
            {(s) => (
              <option value={s} selected={s === props.step}>
                {STEP_LABEL[s]}
              </option>
            )}
          </For>
        </select>
      </div>
      <PagedListBody list={list} noun="devices" moreTestId="deploy-devices-more" empty={<span>No device in this state.</span>}>
        <table class="table" data-testid="deploy-devices">
          <thead>
            <tr>
              <th>Device</th>
              <Show when={props.rings}>
                <th>Ring</th>
              </Show>
              <th class="col-step">Step</th>
              <th>Status</th>
              <th class="num">Attempt</th>
              <th class="col-wide">Error</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            <For each={shown()} fallback={<tr><td colSpan={7} class="muted">No loaded device is at this step.</td></tr>}>
              {(d) => (
                <tr data-testid={`deploy-row-${d.deviceId}`} data-host={d.hostname} data-step={stepOf(d)} data-status={d.status}>
                  <td class="mono">
                    <A href={`/devices/${d.deviceId}`}>{d.hostname}</A>
                    <Show when={!d.online}>
                      <span class="muted small"> (offline)</span>
                    </Show>
                  </td>
                  <Show when={props.rings}>
                    <td>{d.ring === 0 ? <span class="badge badge-info">canary</span> : <span class="muted">rest</span>}</td>
                  </Show>
                  <td>
                    <StepBadge step={stepOf(d)} progress={d.progress} />
                  </td>
                  <td>
                    <span class={`badge badge-${d.status === 'pending' ? 'muted' : (COMMAND_TONE[d.status] ?? 'info')}`}>{d.status.replace('_', ' ')}</span>
                  </td>
                  <td class="num">{d.attempt || ''}</td>
                  <td class="small deploy-error" data-testid="deploy-error">
                    {d.error ?? ''}
                  </td>
                  <td class="nowrap small">{formatDateTime(d.updatedAt)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </PagedListBody>
    </section>
  );
}
