import { A, Navigate, useParams, useSearchParams } from '@solidjs/router';
import { Show, type JSX } from 'solid-js';
import { describeFailure } from '../../api/errors';
import { settled } from '../../lib/resource';
import { deployActionOf, type Job } from '../../state/deployments';
import { Empty, Loading } from '../../components/feedback';
import { createLiveJob } from '../jobs/job-live';
import { JobFacts, JobTitleBar } from '../jobs/job-head';
import { JobProgress } from '../jobs/job-progress';
import { JobSchedule } from '../jobs/job-schedule';
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
      <JobTitleBar job={j()} back={{ href: '/deployments', label: 'Back to deployments' }} titleTestId="deployment-title" exportTestId="deployment-export" />
      <section class="panel job-head">
        <JobFacts job={j()}>
          <span class="chip">{deployActionOf(j()) ?? '—'}</span> <span class="mono">{j().actionLabel}</span>
        </JobFacts>
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
