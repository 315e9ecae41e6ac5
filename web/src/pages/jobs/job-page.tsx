import { A, useParams, useSearchParams } from '@solidjs/router';
import { createResource, createSignal, Show, type JSX } from 'solid-js';
import { describeFailure } from '../../api/errors';
import { createAction } from '../../lib/action';
import { formatDateTime } from '../../lib/format';
import { settled } from '../../lib/resource';
import { can, me } from '../../state/session';
import { showToast } from '../../state/toasts';
import { jobAction, loadJob, onJobFrame, onJobsResync, type Job, type JobDevice, type JobVerb } from '../../state/jobs';
import { Dialog } from '../../components/dialog';
import { Empty, FormError, Loading } from '../../components/feedback';
import { FollowCommand } from '../device/command-result';
import { JobProgress, JobStatusBadge } from './job-progress';
import { JobDevices } from './job-devices';
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
  const [job, { mutate, refetch }] = createResource(() => props.id, loadJob);
  onJobFrame((f) => {
    const j = settled(job);
    if (!j || f.id !== j.id) return;
    // A new status brings new names and times (approved by, finished at): read the job again.
    if (f.status !== j.status) void refetch();
    mutate({ ...j, status: f.status, counts: f.counts });
  });
  onJobsResync(() => void refetch());
  return (
    <Show when={!job.error} fallback={<Empty>{describeFailure(job.error)} <A href="/jobs">Back to jobs</A></Empty>}>
      <Show when={settled(job)} fallback={<Loading label="Loading job…" />}>
        {(j) => <JobView job={j()} onChange={(next) => mutate(next)} />}
      </Show>
    </Show>
  );
}

/** Why the signed-in user may not approve or reject, or null when they may. */
function approvalBlock(job: Job): string | null {
  if (job.status !== 'awaiting_approval') return 'only a job awaiting approval can be approved';
  if (!can('admin')) return 'approving needs the admin role';
  if (me()?.user.id === job.requestedBy) return 'a second person must approve: you requested this job';
  return null;
}

function JobView(props: { job: Job; onChange: (j: Job) => void }): JSX.Element {
  const [search, setSearch] = useSearchParams<{ state?: string }>();
  const [open, setOpen] = createSignal<JobDevice | null>(null);
  const [rejecting, setRejecting] = createSignal(false);
  const [reason, setReason] = createSignal('');
  const act = createAction(async (verb: JobVerb) => {
    props.onChange(await jobAction(props.job.id, verb, reason()));
    setRejecting(false);
    showToast(`Job ${verb === 'retry' ? 'retrying failed devices' : `${verb}${verb.endsWith('e') ? 'd' : 'ed'}`}`);
  });
  const j = () => props.job;
  const block = () => approvalBlock(j());
  const canReject = () => j().status === 'awaiting_approval' && (can('admin') || me()?.user.id === j().requestedBy);
  const active = () => j().status === 'running' || j().status === 'awaiting_approval';

  return (
    <>
      <div class="page-head">
        <A href="/jobs" class="btn btn-ghost" aria-label="Back to jobs">
          ←
        </A>
        <h1 data-testid="job-title">{j().name || j().actionLabel}</h1>
        <JobStatusBadge status={j().status} />
        <span class="spacer" />
        <a class="btn" href={`/api/v1/jobs/${j().id}/export.csv`} download="" data-testid="job-export">
          Export CSV
        </a>
      </div>
      <section class="panel job-head">
        <div class="row gap wrap small">
          <span>
            Action: <span class="mono">{j().actionLabel}</span>
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
        <JobProgress counts={j().counts} />
        <Show when={can('technician')}>
          <div class="row gap wrap">
            <Show when={j().status === 'awaiting_approval'}>
              <button type="button" class="btn btn-primary" data-testid="job-approve" disabled={!!block() || act.pending()} title={block() ?? 'Approve: the job starts now'} onClick={() => void act.run('approve')}>
                Approve
              </button>
              <button type="button" class="btn danger-btn" data-testid="job-reject" disabled={!canReject() || act.pending()} onClick={() => setRejecting(true)}>
                Reject
              </button>
              <Show when={block()}>{(why) => <span class="muted small" data-testid="approve-why">Cannot approve: {why()}</span>}</Show>
            </Show>
            <Show when={active()}>
              <button type="button" class="btn" data-testid="job-cancel" disabled={act.pending()} onClick={() => confirm('Cancel the job? Devices that have not started it will not run it.') && void act.run('cancel')}>
                Cancel job
              </button>
            </Show>
            <Show when={j().counts.failed > 0 && j().status !== 'awaiting_approval' && j().status !== 'rejected'}>
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
      <Dialog open={rejecting()} title="Reject job" onClose={() => setRejecting(false)} testId="reject-dialog">
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            void act.run('reject');
          }}
        >
          <label class="field">
            <span>Reason (shown to the requester)</span>
            <textarea class="input" rows={3} maxLength={500} value={reason()} onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
          <FormError failure={act.failure()} />
          <div class="row gap dialog-actions">
            <button type="submit" class="btn btn-primary danger-fill" disabled={act.pending()}>
              Reject
            </button>
            <button type="button" class="btn btn-ghost" onClick={() => setRejecting(false)}>
              Cancel
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
