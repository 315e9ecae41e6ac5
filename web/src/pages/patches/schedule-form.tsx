import { createMemo, For, Show, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import { createAction } from '../../lib/action';
import { formatDateTime } from '../../lib/format';
import { createSchedule, REBOOT_LABEL, REBOOTS, updateSchedule, type PatchSchedule, type Reboot, type ScheduleDraft } from '../../state/patches';
import { FieldError, FormError } from '../../components/feedback';
import { SubmitForm } from '../../components/submit-form';
import { EMPTY_TARGET, JobTargetBuilder, toTarget, type TargetDraft } from '../jobs/job-target';
import { browserTimeZone, timeZones } from '../maintenance/schedule';
import { describeCron, nextRuns } from './cron-text';

const FIELDS = ['name', 'target', 'cron', 'timezone', 'ttlHours', 'reboot', 'noticeMinutes', 'maxDeferrals'];

function initial(s: PatchSchedule | null) {
  return {
    name: s?.name ?? '',
    target: { ...EMPTY_TARGET, ...(s?.target as Partial<TargetDraft> | undefined) } as TargetDraft,
    cron: s?.cron ?? '0 2 * * 3',
    timezone: s?.timezone ?? browserTimeZone(),
    windowOnly: s?.windowOnly ?? false,
    ttlHours: s?.ttlHours ?? 24,
    reboot: (s?.reboot ?? 'if_needed') as Reboot,
    noticeMinutes: s?.noticeMinutes ?? 15,
    maxDeferrals: s?.maxDeferrals ?? 2,
    enabled: s?.enabled ?? true,
  };
}

const whole = (v: string) => Math.floor(Number(v) || 0);

/** A patch schedule: which devices, when (cron in a time zone, read back in words), and how reboots go. */
export function ScheduleForm(props: { initial: PatchSchedule | null; onSaved: (s: PatchSchedule) => void; onCancel: () => void }): JSX.Element {
  const [f, setF] = createStore(initial(props.initial));
  const preview = createMemo(() => nextRuns(f.cron, f.timezone.trim() || 'UTC'));
  const save = createAction(async () => {
    const json: ScheduleDraft = { ...f, name: f.name.trim(), timezone: f.timezone.trim() || 'UTC', target: toTarget(f.target) };
    props.onSaved(props.initial ? await updateSchedule(props.initial.id, json) : await createSchedule(json));
  });

  return (
    <SubmitForm class="form panel schedule-form" testId="schedule-form" onSubmit={() => void save.run()}>
      <h2>{props.initial ? `Edit “${props.initial.name}”` : 'New patch schedule'}</h2>
      <label class="field">
        <span>Name</span>
        <input class="input" maxLength={120} data-testid="schedule-name" value={f.name} onInput={(e) => setF('name', e.currentTarget.value)} placeholder="e.g. Workstations, Wednesday night" />
        <FieldError failure={save.failure()} path="name" />
      </label>
      <fieldset class="field plain-fieldset">
        <legend>Devices</legend>
        <JobTargetBuilder value={f.target} onChange={(t) => setF('target', t)} failure={save.failure()} />
      </fieldset>
      <div class="row gap wrap">
        <label class="field">
          <span>When (cron: minute hour day month weekday)</span>
          <input class="input mono" data-testid="schedule-cron" value={f.cron} onInput={(e) => setF('cron', e.currentTarget.value)} placeholder="0 2 * * 3" />
          <FieldError failure={save.failure()} path="cron" />
        </label>
        <label class="field">
          <span>Time zone</span>
          <input class="input" list="patch-zones" data-testid="schedule-timezone" value={f.timezone} onInput={(e) => setF('timezone', e.currentTarget.value)} />
          <datalist id="patch-zones">
            <For each={timeZones()}>{(z) => <option value={z} />}</For>
          </datalist>
          <FieldError failure={save.failure()} path="timezone" />
        </label>
      </div>
      <div class="cron-preview" aria-live="polite" data-testid="schedule-cron-preview">
        {(() => {
          const p = preview();
          if ('error' in p) return <span class="field-error">Not a valid schedule: {p.error}</span>;
          const words = describeCron(f.cron);
          return (
            <span>
              <Show when={words}>
                <strong>{words}</strong> ({f.timezone || 'UTC'}) ·{' '}
              </Show>
              next, in your local time: {p.runs.map((d) => formatDateTime(d.getTime())).join(', ') || 'never'}
            </span>
          );
        })()}
      </div>
      <label class="check">
        <input type="checkbox" data-testid="schedule-window-only" checked={f.windowOnly} onChange={(e) => setF('windowOnly', e.currentTarget.checked)} />
        Only inside each device's maintenance windows (the run waits for them)
      </label>
      <div class="row gap wrap">
        <label class="field">
          <span>Keep trying for (hours)</span>
          <input class="input input-num" type="number" min="1" max="168" data-testid="schedule-ttl" value={f.ttlHours} onInput={(e) => setF('ttlHours', whole(e.currentTarget.value))} />
          <FieldError failure={save.failure()} path="ttlHours" />
        </label>
        <label class="field">
          <span>Reboot</span>
          <select class="input select" data-testid="schedule-reboot" onChange={(e) => setF('reboot', e.currentTarget.value as Reboot)}>
            <For each={REBOOTS}>{(r) => <option value={r} selected={f.reboot === r}>{REBOOT_LABEL[r]}</option>}</For>
          </select>
        </label>
        <Show when={f.reboot !== 'never'}>
          <label class="field">
            <span>Warn the user (minutes ahead)</span>
            <input class="input input-num" type="number" min="0" max="240" data-testid="schedule-notice" value={f.noticeMinutes} onInput={(e) => setF('noticeMinutes', whole(e.currentTarget.value))} />
            <FieldError failure={save.failure()} path="noticeMinutes" />
          </label>
          <label class="field">
            <span>User may put it off (times)</span>
            <input class="input input-num" type="number" min="0" max="10" data-testid="schedule-deferrals" value={f.maxDeferrals} onInput={(e) => setF('maxDeferrals', whole(e.currentTarget.value))} />
            <FieldError failure={save.failure()} path="maxDeferrals" />
          </label>
        </Show>
      </div>
      <label class="check">
        <input type="checkbox" data-testid="schedule-enabled" checked={f.enabled} onChange={(e) => setF('enabled', e.currentTarget.checked)} />
        Enabled
      </label>
      <FormError failure={save.failure()} fields={FIELDS} />
      <div class="row gap">
        <button type="submit" class="btn btn-primary" data-testid="schedule-save" disabled={save.pending()}>
          {save.pending() ? 'Saving…' : props.initial ? 'Save schedule' : 'Create schedule'}
        </button>
        <button type="button" class="btn btn-ghost" onClick={() => props.onCancel()}>
          Cancel
        </button>
      </div>
    </SubmitForm>
  );
}
