import { A, Navigate, useParams, useSearchParams } from '@solidjs/router';
import { createSignal, Show, type JSX } from 'solid-js';
import { describeFailure } from '../../api/errors';
import { createAction } from '../../lib/action';
import { settled } from '../../lib/resource';
import { can } from '../../state/session';
import { showToast } from '../../state/toasts';
import { canRetry, isCancellable, jobAction, type Job, type JobDevice } from '../../state/jobs';
import { Empty, FormError, Loading } from '../../components/feedback';
import { FollowCommand } from '../device/command-result';
import { JobProgress } from './job-progress';
import { JobDevices } from './job-devices';
import { JobApproval } from './job-approval';
import { JobSchedule } from './job-schedule';
import { createLiveJob } from './job-live';
import { JobFacts, JobTitleBar } from './job-head';
import '../../styles/automation.css';

export default function JobPage(): JSX.Element {
  const params = useParams<{ id: string }>();
  return (
    <div class="page">
      <Show when={params.id} keyed>
        {(id) => <JobLoader id={id} />}
      </Show>
    </div>
  );
}

function JobLoader(props: { id: string }): JSX.Element {
  const { job, set } = createLiveJob(() => props.id);
  return (
    <Show when={!job.error} fallback={<Empty>{describeFailure(job.error)} <A href="/jobs">Back to jobs</A></Empty>}>
      <Show when={settled(job)} fallback={<Loading label="Loading job…" />}>
        {(j) => (
          <Show when={j().kind !== 'deployment'} fallback={<Navigate href={`/deployments/${j().id}`} />}>
            <JobView job={j()} onChange={set} />
          </Show>
        )}
      </Show>
    </Show>
  );
}

function JobView(props: { job: Job; onChange: (j: Job) => void }): JSX.Element {
  const [search, setSearch] = useSearchParams<{ state?: string }>();
  const [open, setOpen] = createSignal<JobDevice | null>(null);
  const act = createAction(async (verb: 'cancel' | 'retry') => {
    props.onChange(await jobAction(props.job.id, verb));
    showToast(verb === 'retry' ? 'Job retrying failed devices' : 'Job cancelled');
  });
  const j = () => props.job;

  return (
    <>
      <JobTitleBar job={j()} back={{ href: '/jobs', label: 'Back to jobs' }} titleTestId="job-title" exportTestId="job-export" />
      <section class="panel job-head">
        <JobFacts job={j()}>
          Action: <span class="mono">{j().actionLabel}</span>
        </JobFacts>
        <JobSchedule job={j()} />
        <JobProgress counts={j().counts} />
        <Show when={can('technician')}>
          <div class="row gap wrap">
            <JobApproval job={j()} onChange={props.onChange} />
            <Show when={isCancellable(j().status)}>
              <button type="button" class="btn" data-testid="job-cancel" disabled={act.pending()} onClick={() => confirm('Cancel the job? Devices that have not started it will not run it.') && void act.run('cancel')}>
                Cancel job
              </button>
            </Show>
            <Show when={canRetry(j())}>
              <button type="button" class="btn" data-testid="job-retry" disabled={act.pending()} onClick={() => void act.run('retry')}>
                Retry failed ({j().counts.failed})
              </button>
            </Show>
          </div>
        </Show>
        <FormError failure={act.failure()} />
      </section>
      <JobDevices jobId={j().id} state={search.state ?? ''} onState={(s) => setSearch({ state: s || null }, { replace: true })} selected={open()?.deviceId ?? null} onOpen={setOpen} />
      <Show when={open()} keyed>
        {(d) => (
          <section class="panel" data-testid="job-command">
            <div class="panel-head">
              <h2 class="mono">{d.hostname}</h2>
              <span class="spacer" />
              <A href={`/devices/${d.deviceId}`} class="btn btn-small">
                Open device
              </A>
              <button type="button" class="btn btn-small btn-ghost" onClick={() => setOpen(null)}>
                Close
              </button>
            </div>
            <FollowCommand deviceId={d.deviceId} command={{ id: d.commandId!, status: d.status === 'pending' ? 'queued' : d.status }} />
          </section>
        )}
      </Show>
    </>
  );
}
