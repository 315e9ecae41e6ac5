import { A, Navigate, useParams, useSearchParams } from '@solidjs/router';
import { Show, type JSX } from 'solid-js';
import { describeFailure } from '../../api/errors';
import { formatDateTime } from '../../lib/format';
import { settled } from '../../lib/resource';
import { deployActionOf, type Job } from '../../state/deployments';
import { Empty, Loading } from '../../components/feedback';
import { createLiveJob } from '../jobs/job-live';
import { JobProgress, JobStatusBadge } from '../jobs/job-progress';
import { GateState, JobSchedule } from '../jobs/job-schedule';
import { DeploymentActions } from './deployment-actions';
import { DeployDevices } from './deploy-devices';
import '../../styles/automation.css';
import '../../styles/deploy.css';

export default function DeploymentPage(): JSX.Element {
  const params = useParams<{ id: string }>();
  return (
    <div class="page">
      <Show when={params.id} keyed>
        {(id) => <DeploymentLoader id={id} />}
      </Show>
    </div>
  );
}

function DeploymentLoader(props: { id: string }): JSX.Element {
  const { job, set } = createLiveJob(() => props.id);
  return (
    <Show when={!job.error} fallback={<Empty>{describeFailure(job.error)} <A href="/deployments">Back to deployments</A></Empty>}>
      <Show when={settled(job)} fallback={<Loading label="Loading deployment…" />}>
        {(j) => (
          <Show when={j().kind === 'deployment'} fallback={<Navigate href={`/jobs/${j().id}`} />}>
            <DeploymentView job={j()} onChange={set} />
          </Show>
        )}
      </Show>
    </Show>
  );
}

/** One deployment: its state and gate, what may be done to it, and every device's step, live. */
function DeploymentView(props: { job: Job; onChange: (j: Job) => void }): JSX.Element {
  const [search, setSearch] = useSearchParams<{ status?: string; step?: string }>();
  const j = () => props.job;
  return (
    <>
      <div class="page-head">
        <A href="/deployments" class="btn btn-ghost" aria-label="Back to deployments">
          ←
        </A>
        <h1 data-testid="deployment-title">{j().name || j().actionLabel}</h1>
        <JobStatusBadge status={j().status} />
        <GateState job={j()} />
        <span class="spacer" />
        <a class="btn" href={`/api/v1/jobs/${j().id}/export.csv`} download="" data-testid="deployment-export">
          Export CSV
        </a>
      </div>
      <section class="panel job-head">
        <div class="row gap wrap small">
          <span>
            <span class="chip">{deployActionOf(j()) ?? '—'}</span> <span class="mono">{j().actionLabel}</span>
          </span>
          <span>
            Requested by <strong>{j().requestedByName ?? j().requestedBy}</strong> {formatDateTime(j().createdAt)}
          </span>
          <Show when={j().approvedBy}>
            <span data-testid="job-approved-by">
              {j().status === 'rejected' ? 'Rejected' : 'Approved'} by <strong>{j().approvedByName ?? j().approvedBy}</strong> {formatDateTime(j().approvedAt)}
            </span>
          </Show>
          <span>{j().concurrency} at a time</span>
          <span>offline devices until {formatDateTime(j().expiresAt)}</span>
          <Show when={j().finishedAt}>
            <span>finished {formatDateTime(j().finishedAt)}</span>
          </Show>
        </div>
        <JobSchedule job={j()} />
        <Show when={j().status === 'halted'}>
          <div class="form-error" role="status" data-testid="halted-note">
            The canary did not reach its gate: the remaining devices wait for a promote or a cancel.
          </div>
        </Show>
        <JobProgress counts={j().counts} />
        <DeploymentActions job={j()} onChange={props.onChange} />
      </section>
      <DeployDevices
        jobId={j().id}
        rings={!!j().rings}
        status={search.status ?? ''}
        step={search.step ?? ''}
        onFilter={(f) => setSearch(Object.fromEntries(Object.entries(f).map(([k, x]) => [k, x || null])), { replace: true })}
      />
    </>
  );
}
