import { useNavigate } from '@solidjs/router';
import { Show, type JSX } from 'solid-js';
import type { DeviceFilter as ListFilter } from '../devices/device-query';
import { can } from '../../state/session';
import { seedJob, type DeviceFilter } from '../../state/jobs';

/** The device list's filter as a job target: only what is set, so an empty one means the whole list. */
function toTargetFilter(f: ListFilter): DeviceFilter {
  const out: DeviceFilter = {};
  if (f.q.trim()) out.q = f.q.trim();
  if (f.clientId) out.clientId = f.clientId;
  if (f.siteId) out.siteId = f.siteId;
  if (f.status) out.status = f.status;
  if (f.tag) out.tag = f.tag;
  if (f.groupId) out.groupId = f.groupId;
  return out;
}

/** "Run on these…": a new job aimed at what the device list shows now. */
export function RunOnFilter(props: { filter: ListFilter; count: number }): JSX.Element {
  const navigate = useNavigate();
  return (
    <Show when={can('technician')}>
      <button
        type="button"
        class="btn"
        data-testid="run-on-filter"
        disabled={props.count === 0}
        title="Create a job for the devices this list shows"
        onClick={() => {
          seedJob({ target: { filter: toTargetFilter(props.filter) } });
          navigate('/jobs/new');
        }}
      >
        Run on these {props.count.toLocaleString()}…
      </button>
    </Show>
  );
}
