import { Match, Show, Switch, type JSX } from 'solid-js';
import { formatDateTime } from '../../lib/format';
import type { Job } from '../../state/jobs';

/** The canary as the job was given it: "3 devices" or "10 %". */
export function canaryText(rings: NonNullable<Job['rings']>): string {
  return rings.count !== undefined ? `${rings.count} device${rings.count === 1 ? '' : 's'}` : `${rings.percent ?? 0} %`;
}

/** Where the canary gate stands, in words (null without rings). */
export function GateState(props: { job: Job }): JSX.Element {
  const j = () => props.job;
  const rate = () => (j().canaryRate === null ? '' : `${Math.round(j().canaryRate! * 10) / 10} %`);
  return (
    <Show when={j().rings}>
      {(r) => (
        <span class="gate-state" data-testid="gate-state" data-gate={j().gate ?? 'canary'}>
          <Switch fallback={<span class="badge badge-info">canary running</span>}>
            <Match when={j().gate === 'waiting'}>
              <span class="badge badge-info">gate waiting</span> until {formatDateTime(j().gateAt)}
            </Match>
            <Match when={j().gate === 'passed'}>
              <span class="badge badge-ok">gate passed</span> canary {rate()} (needed {r().gatePercent} %)
            </Match>
            <Match when={j().gate === 'failed'}>
              <span class="badge badge-bad">gate failed</span> at {rate()} (needed {r().gatePercent} %)
            </Match>
            <Match when={j().gate === 'promoted'}>
              <span class="badge badge-warn">promoted</span> past the gate (canary {rate() || 'unknown'})
            </Match>
          </Switch>
        </span>
      )}
    </Show>
  );
}

/** When a job sends (scheduled start, maintenance windows only) and its rings; the gate's state is GateState. */
export function JobSchedule(props: { job: Job }): JSX.Element {
  const j = () => props.job;
  return (
    <Show when={j().startAt || j().windowOnly || j().rings}>
      <div class="row gap wrap small" data-testid="job-schedule">
        <Show when={j().startAt}>
          <span>
            {j().status === 'scheduled' ? 'Starts' : 'Started'} {formatDateTime(j().startAt)}
          </span>
        </Show>
        <Show when={j().windowOnly}>
          <span>only inside each device's maintenance windows</span>
        </Show>
        <Show when={j().rings}>
          {(r) => (
            <span>
              canary {canaryText(r())}, then wait {r().waitMinutes} min, gate at {r().gatePercent} % success
            </span>
          )}
        </Show>
      </div>
    </Show>
  );
}
