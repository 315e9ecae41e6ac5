import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { createSignal, Show, type JSX } from 'solid-js';
import { createAction } from '../../lib/action';
import type { JobPreviewResult } from '../../state/jobs';
import { createDeployment } from '../../state/deployments';
import { PLATFORM_LABEL } from '../../state/packages';
import { FieldError } from '../../components/feedback';
import { SubmitForm } from '../../components/submit-form';
import { EMPTY_TARGET, isEmptyTarget, JobTargetBuilder, toTarget, type TargetDraft } from '../jobs/job-target';
import { DEFAULT_RINGS, DEFAULT_SCHEDULE, RingsFields, ScheduleFields, toRings, toSchedule, type RingsDraft, type ScheduleDraft } from './rollout-fields';
import { VersionPicker, type VersionPick } from './version-picker';
import { createRunSettings, NewJobFooter, RunSettingsFields } from '../jobs/job-run-fields';
import '../../styles/automation.css';
import '../../styles/deploy.css';

/**
 * A new deployment: a ready catalog version, install or uninstall, on which devices (with a
 * live count and the approval warning), when, in rings or not, how many at once, and how
 * long offline devices may still get it. It is a job of kind deployment on the server.
 */
export default function NewDeploymentPage(): JSX.Element {
  const navigate = useNavigate();
  const [search] = useSearchParams<{ packageId?: string; versionId?: string }>();
  const [pick, setPick] = createSignal<VersionPick | null>(null);
  const [action, setAction] = createSignal<'install' | 'uninstall'>('install');
  const [target, setTarget] = createSignal<TargetDraft>({ ...EMPTY_TARGET });
  const [schedule, setSchedule] = createSignal<ScheduleDraft>(DEFAULT_SCHEDULE);
  const [rings, setRings] = createSignal<RingsDraft>(DEFAULT_RINGS);
  const run = createRunSettings();
  const [preview, setPreview] = createSignal<JobPreviewResult | null>(null);
  const [problem, setProblem] = createSignal<string | null>(null);

  const create = createAction(async (body: Parameters<typeof createDeployment>[0]) => {
    const job = await createDeployment(body);
    navigate(`/deployments/${job.id}`);
  });
  const submit = () => {
    const p = pick();
    if (!p) return setProblem('Choose a ready package version.');
    if (isEmptyTarget(target())) return setProblem('Name at least one device, group, site, client, tag or saved search.');
    const when = toSchedule(schedule(), Date.now());
    if (typeof when === 'string') return setProblem(when);
    setProblem(null);
    void create.run({
      ...run.body(),
      versionId: p.version.id,
      action: action(),
      target: toTarget(target()),
      schedule: when,
      rings: toRings(rings()),
    });
  };
  const submitLabel = () => {
    if (create.pending()) return 'Creating…';
    if (preview()?.needsApproval) return 'Request approval';
    const n = preview()?.count ?? '…';
    return schedule().when === 'at' ? `Schedule for ${n} devices` : `${action() === 'install' ? 'Install' : 'Uninstall'} on ${n} devices`;
  };

  return (
    <div class="page">
      <div class="page-head">
        <A href="/deployments" class="btn btn-ghost" aria-label="Back to deployments">
          ←
        </A>
        <h1>New deployment</h1>
      </div>
      <SubmitForm class="form new-job" testId="new-deployment-form" onSubmit={submit}>
        <section class="panel">
          <div class="panel-head">
            <h2>Software</h2>
          </div>
          <VersionPicker initial={{ packageId: search.packageId, versionId: search.versionId }} onPick={setPick} />
          <FieldError failure={create.failure()} path="action" />
          <div class="row gap">
            <label class="check">
              <input type="radio" name="deploy-action" data-testid="deploy-action-install" checked={action() === 'install'} onChange={() => setAction('install')} />
              Install (rolled back on the device if it fails)
            </label>
            <label class="check">
              <input type="radio" name="deploy-action" data-testid="deploy-action-uninstall" checked={action() === 'uninstall'} onChange={() => setAction('uninstall')} />
              Uninstall
            </label>
          </div>
        </section>
        <section class="panel">
          <div class="panel-head">
            <h2>Devices</h2>
          </div>
          <Show when={pick()}>
            {(p) => <p class="muted small">Only {PLATFORM_LABEL[p().pkg.platform]} devices can run it; others among the targets fail with wrong_platform.</p>}
          </Show>
          <JobTargetBuilder value={target()} onChange={setTarget} failure={create.failure()} onPreview={setPreview} />
        </section>
        <section class="panel">
          <ScheduleFields value={schedule()} onChange={setSchedule} failure={create.failure()} />
          <RingsFields value={rings()} onChange={setRings} failure={create.failure()} />
          <RunSettingsFields settings={run} failure={create.failure()} testPrefix="deploy" />
          <NewJobFooter
            problem={problem()}
            failure={create.failure()}
            fields={['action', 'target', 'concurrency', 'ttlSeconds', 'schedule', 'rings']}
            pending={create.pending()}
            label={submitLabel()}
            submitTestId="create-deployment"
            cancelHref="/deployments"
          />
        </section>
      </SubmitForm>
    </div>
  );
}
