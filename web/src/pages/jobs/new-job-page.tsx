import { A, useNavigate } from '@solidjs/router';
import { createSignal, Show, type JSX } from 'solid-js';
import type { CommandSpec } from '../../../../protocol/api/commands';
import { createAction } from '../../lib/action';
import { createJob, takeJobSeed, type JobPreviewResult } from '../../state/jobs';
import { FieldError } from '../../components/feedback';
import { SubmitForm } from '../../components/submit-form';
import { JobActionPicker, type ActionControl } from './job-action';
import { EMPTY_TARGET, isEmptyTarget, JobTargetBuilder, toTarget, type TargetDraft } from './job-target';
import { createRunSettings, NewJobFooter, RunSettingsFields } from './job-run-fields';
import '../../styles/automation.css';

/**
 * A new bulk job: what to run (given by the page that sent us here, or picked), on which
 * devices (with a live count), how many at once, and for how long offline devices may
 * still get it.
 */
export default function NewJobPage(): JSX.Element {
  const navigate = useNavigate();
  const seed = takeJobSeed();
  const [seeded, setSeeded] = createSignal<{ action: CommandSpec; label: string } | null>(seed?.action ? { action: seed.action, label: seed.actionLabel ?? seed.action.type } : null);
  const [target, setTarget] = createSignal<TargetDraft>({ ...EMPTY_TARGET, ...seed?.target });
  const run = createRunSettings();
  const [preview, setPreview] = createSignal<JobPreviewResult | null>(null);
  const [problem, setProblem] = createSignal<string | null>(null);
  let picker: ActionControl | undefined;

  const create = createAction(async (action: CommandSpec) => {
    const job = await createJob({ ...run.body(), action, target: toTarget(target()) });
    navigate(`/jobs/${job.id}`);
  });
  const submit = () => {
    const spec = seeded()?.action ?? picker?.spec();
    if (!spec || typeof spec === 'string') return setProblem(`The action is not complete: ${spec ?? 'pick one'}.`);
    if (isEmptyTarget(target())) return setProblem('Name at least one device, group, site, client, tag or saved search.');
    setProblem(null);
    void create.run(spec);
  };

  return (
    <div class="page">
      <div class="page-head">
        <A href="/jobs" class="btn btn-ghost" aria-label="Back to jobs">
          ←
        </A>
        <h1>New job</h1>
      </div>
      <SubmitForm class="form new-job" testId="new-job-form" onSubmit={submit}>
        <section class="panel">
          <div class="panel-head">
            <h2>Action</h2>
          </div>
          <Show when={seeded()} fallback={<JobActionPicker failure={create.failure()} control={(c) => (picker = c)} />}>
            {(s) => (
              <div class="row gap">
                <span class="chip" data-testid="job-seeded-action">
                  {s().label}
                </span>
                <button type="button" class="btn btn-small btn-ghost" onClick={() => setSeeded(null)}>
                  Choose another action
                </button>
              </div>
            )}
          </Show>
          <FieldError failure={create.failure()} path="action" />
        </section>
        <section class="panel">
          <div class="panel-head">
            <h2>Devices</h2>
          </div>
          <JobTargetBuilder value={target()} onChange={setTarget} failure={create.failure()} onPreview={setPreview} />
        </section>
        <section class="panel">
          <RunSettingsFields settings={run} failure={create.failure()} testPrefix="job" />
          <NewJobFooter
            problem={problem()}
            failure={create.failure()}
            fields={['action', 'target', 'concurrency', 'ttlSeconds']}
            pending={create.pending()}
            label={create.pending() ? 'Creating…' : preview()?.needsApproval ? 'Request approval' : `Run on ${preview()?.count ?? '…'} devices`}
            submitTestId="create-job"
            cancelHref="/jobs"
          />
        </section>
      </SubmitForm>
    </div>
  );
}
