import { createSignal, Show, type JSX } from 'solid-js';
import { createAction } from '../../lib/action';
import { can, me } from '../../state/session';
import { showToast } from '../../state/toasts';
import { jobAction, type Job } from '../../state/jobs';
import { ReasonDialog } from '../../components/reason-dialog';
import { FormError } from '../../components/feedback';

/** Why the signed-in user may not approve or reject, or null when they may. */
function approvalBlock(job: Job): string | null {
  if (job.status !== 'awaiting_approval') return 'only a job awaiting approval can be approved';
  if (!can('admin')) return 'approving needs the admin role';
  if (me()?.user.id === job.requestedBy) return 'a second person must approve: you requested this job';
  return null;
}

/**
 * Approve and Reject for a job awaiting its second person (bulk jobs and deployments alike):
 * the requester cannot approve their own, and a rejection says why.
 */
export function JobApproval(props: { job: Job; onChange: (j: Job) => void }): JSX.Element {
  const [rejecting, setRejecting] = createSignal(false);
  const [reason, setReason] = createSignal('');
  const act = createAction(async (verb: 'approve' | 'reject') => {
    props.onChange(await jobAction(props.job.id, verb, reason()));
    setRejecting(false);
    showToast(verb === 'approve' ? 'Job approved' : 'Job rejected');
  });
  const block = () => approvalBlock(props.job);
  const canReject = () => props.job.status === 'awaiting_approval' && (can('admin') || me()?.user.id === props.job.requestedBy);

  return (
    <Show when={props.job.status === 'awaiting_approval'}>
      <button type="button" class="btn btn-primary" data-testid="job-approve" disabled={!!block() || act.pending()} title={block() ?? 'Approve: the job starts now'} onClick={() => void act.run('approve')}>
        Approve
      </button>
      <button type="button" class="btn danger-btn" data-testid="job-reject" disabled={!canReject() || act.pending()} onClick={() => setRejecting(true)}>
        Reject
      </button>
      <Show when={block()}>{(why) => <span class="muted small" data-testid="approve-why">Cannot approve: {why()}</span>}</Show>
      <Show when={!rejecting()}>
        <FormError failure={act.failure()} />
      </Show>
      <ReasonDialog
        open={rejecting()}
        title="Reject job"
        testId="reject-dialog"
        label="Reason (shown to the requester)"
        reason={reason()}
        onReason={setReason}
        submit={{ label: 'Reject', class: 'btn btn-primary danger-fill' }}
        failure={act.failure()}
        pending={act.pending()}
        onSubmit={() => void act.run('reject')}
        onClose={() => setRejecting(false)}
      />
    </Show>
  );
}
