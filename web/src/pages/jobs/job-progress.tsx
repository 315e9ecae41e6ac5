import { Show, type JSX } from 'solid-js';
import { finishedPercent, type Job } from '../../state/jobs';

export const JOB_TONE: Record<Job['status'], string> = {
  awaiting_approval: 'warn',
  scheduled: 'info',
  rejected: 'bad',
  running: 'info',
  halted: 'bad',
  completed: 'ok',
  cancelled: 'warn',
  expired: 'warn',
};

export function JobStatusBadge(props: { status: Job['status'] }): JSX.Element {
  return (
    <span class={`badge badge-${JOB_TONE[props.status]}`} data-testid="job-status">
      {props.status.replace('_', ' ')}
    </span>
  );
}

/**
 * How far a job got: the bar's value is the share of devices that reached an end, its
 * segments show succeeded, failed and skipped. `compact` is the list's one-line version.
 */
export function JobProgress(props: { counts: Job['counts']; compact?: boolean }): JSX.Element {
  const c = () => props.counts;
  const pct = () => finishedPercent(c());
  const share = (n: number) => `${c().total ? (n / c().total) * 100 : 0}%`;
  return (
    <div class="job-progress" classList={{ 'is-compact': !!props.compact }}>
      <div
        class="job-bar"
        role="progressbar"
        aria-label="Devices finished"
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow={pct()}
        aria-valuetext={`${pct()} % (${c().succeeded + c().failed + c().skipped} of ${c().total})`}
        data-testid="job-progress"
      >
        <span class="seg seg-ok" style={{ width: share(c().succeeded) }} />
        <span class="seg seg-bad" style={{ width: share(c().failed) }} />
        <span class="seg seg-skip" style={{ width: share(c().skipped) }} />
        <span class="seg seg-active" style={{ width: share(c().active) }} />
      </div>
      <Show when={!props.compact} fallback={<span class="muted small nowrap">{pct()} %</span>}>
        <div class="row gap small job-counts" data-testid="job-counts">
          <strong>{pct()} %</strong>
          <span>{c().total} devices</span>
          <span class="tone-ok" data-count="succeeded">{c().succeeded} succeeded</span>
          <span class="tone-bad" data-count="failed">{c().failed} failed</span>
          <span class="tone-info" data-count="active">{c().active} running</span>
          <span class="muted" data-count="pending">{c().pending} pending</span>
          <span class="muted" data-count="skipped">{c().skipped} skipped</span>
        </div>
      </Show>
    </div>
  );
}
