import { useNavigate } from '@solidjs/router';
import { createSignal, Show, type JSX } from 'solid-js';
import { createAction } from '../../lib/action';
import { can } from '../../state/session';
import { showToast } from '../../state/toasts';
import { canRetry, isCancellable, jobAction } from '../../state/jobs';
import { deployActionOf, promoteJob, rollbackJob, type Job } from '../../state/deployments';
import { ReasonDialog } from '../../components/reason-dialog';
import { FormError } from '../../components/feedback';
import { JobApproval } from '../jobs/job-approval';

type Verb = 'cancel' | 'retry' | 'promote' | 'rollback';

/**
 * What may be done to a deployment now: approve or reject it, cancel it, send it again to the
 * failed devices, promote a halted one past its gate (admins, with a reason for the audit
 * log), or roll an install back where it succeeded (a new deployment, opened next).
 */
export function DeploymentActions(props: { job: Job; onChange: (j: Job) => void }): JSX.Element {
  const navigate = useNavigate();
  const [promoting, setPromoting] = createSignal(false);
  const [reason, setReason] = createSignal('');
  const j = () => props.job;
  const act = createAction(async (verb: Verb) => {
    switch (verb) {
      case 'cancel':
      case 'retry':
        props.onChange(await jobAction(j().id, verb));
        return showToast(verb === 'cancel' ? 'Deployment cancelled' : 'Retrying the failed devices');
      case 'promote':
        props.onChange(await promoteJob(j().id, reason().trim()));
        setPromoting(false);
        return showToast('Promoted: the rest of the devices run it now');
      case 'rollback': {
        const back = await rollbackJob(j().id);
        showToast('Rollback started');
        return navigate(`/deployments/${back.id}`);
      }
    }
  });
  const canRollBack = () => deployActionOf(j()) === 'install' && j().counts.succeeded > 0 && j().status !== 'awaiting_approval';

  return (
    <Show when={can('technician')}>
      <div class="row gap wrap" data-testid="deployment-actions">
        <JobApproval job={j()} onChange={props.onChange} />
        <Show when={j().status === 'halted' && can('admin')}>
          <button type="button" class="btn btn-primary" data-testid="deploy-promote" disabled={act.pending()} onClick={() => setPromoting(true)}>
            Promote past the gate
          </button>
        </Show>
        <Show when={isCancellable(j().status)}>
          <button
            type="button"
            class="btn"
            data-testid="deploy-cancel"
            disabled={act.pending()}
            onClick={() => confirm('Cancel the deployment? Devices that have not started it will not run it.') && void act.run('cancel')}
          >
            Cancel deployment
          </button>
        </Show>
        <Show when={canRetry(j())}>
          <button type="button" class="btn" data-testid="deploy-retry" disabled={act.pending()} onClick={() => void act.run('retry')}>
            Retry failed ({j().counts.failed})
          </button>
        </Show>
        <Show when={canRollBack()}>
          <button
            type="button"
            class="btn danger-btn"
            data-testid="deploy-rollback"
            disabled={act.pending()}
            onClick={() => confirm(`Roll back on the ${j().counts.succeeded} devices where it succeeded? This starts a new deployment that removes this version (restoring the previous one where the catalog has it).`) && void act.run('rollback')}
          >
            Roll back ({j().counts.succeeded})
          </button>
        </Show>
      </div>
      <Show when={!promoting()}>
        <FormError failure={act.failure()} />
      </Show>
      <ReasonDialog
        open={promoting()}
        title="Promote past the canary gate"
        testId="promote-dialog"
        note="The canary did not reach the gate. Promoting sends the deployment to every remaining device."
        label="Reason (kept in the audit log)"
        reason={reason()}
        onReason={setReason}
        required
        reasonTestId="promote-reason"
        submit={{ label: 'Promote', class: 'btn btn-primary', testId: 'promote-confirm' }}
        failure={act.failure()}
        pending={act.pending()}
        onSubmit={() => void act.run('promote')}
        onClose={() => setPromoting(false)}
      />
    </Show>
  );
}
