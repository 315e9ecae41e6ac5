import { For, Show, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import { api, call, type Data } from '../../api/client';
import { ApiFailure } from '../../api/errors';
import { FieldError, FormError } from '../../components/feedback';
import { createAction } from '../../lib/action';
import { ScopePicker, type ScopeValue } from '../../components/scope-picker';
import { browserTimeZone, fromLocalInput, timeZones, toLocalInput } from './schedule';

export type MaintenanceWindow = Data<(typeof api)['maintenance-windows']['$get']>['items'][number];

const SCOPES = ['client', 'site', 'group', 'device'] as const;
const FIELDS = ['name', 'scopeType', 'scopeId', 'schedule', 'enabled'];

function initialState(w?: MaintenanceWindow) {
  const hour = 3600_000;
  const start = Math.ceil(Date.now() / hour) * hour;
  const s = w?.schedule;
  return {
    name: w?.name ?? '',
    scope: { scopeType: w?.scopeType ?? 'client', scopeId: w?.scopeId ?? '' } as ScopeValue,
    kind: s?.kind ?? ('once' as 'once' | 'recurring'),
    startsAt: toLocalInput(s?.kind === 'once' ? s.startsAt : start),
    endsAt: toLocalInput(s?.kind === 'once' ? s.endsAt : start + 2 * hour),
    cron: s?.kind === 'recurring' ? s.cron : '0 2 * * 6',
    durationMinutes: String(s?.kind === 'recurring' ? s.durationMinutes : 120),
    timezone: s?.kind === 'recurring' ? s.timezone : browserTimeZone(),
    enabled: w?.enabled ?? true,
  };
}

/**
 * A maintenance window: alerts opened inside it are recorded but notify no one. One-off
 * windows take local date and time; recurring ones a cron expression in a time zone.
 */
export function WindowForm(props: { initial?: MaintenanceWindow; onSaved: (w: MaintenanceWindow) => void; onCancel: () => void }): JSX.Element {
  const [f, setF] = createStore(initialState(props.initial));

  const body = () => {
    const issues: { path: string; message: string }[] = [];
    let schedule;
    if (f.kind === 'once') {
      const startsAt = fromLocalInput(f.startsAt);
      const endsAt = fromLocalInput(f.endsAt);
      if (startsAt === null) issues.push({ path: 'schedule.startsAt', message: 'required' });
      if (endsAt === null) issues.push({ path: 'schedule.endsAt', message: 'required' });
      schedule = { kind: 'once' as const, startsAt: startsAt ?? 0, endsAt: endsAt ?? 0 };
    } else {
      const duration = Number(f.durationMinutes);
      if (!Number.isInteger(duration)) issues.push({ path: 'schedule.durationMinutes', message: 'whole minutes' });
      schedule = { kind: 'recurring' as const, cron: f.cron, durationMinutes: duration, timezone: f.timezone.trim() || 'UTC' };
    }
    // Only what JSON cannot carry is checked here (an empty date is no number); the API judges the rest.
    if (issues.length) throw new ApiFailure(400, 'validation_failed', 'the window is not complete', issues);
    return { name: f.name.trim(), scopeType: f.scope.scopeType as (typeof SCOPES)[number], scopeId: f.scope.scopeId, schedule, enabled: f.enabled };
  };

  const save = createAction(async () => {
    const json = body();
    const saved = props.initial
      ? await call(api['maintenance-windows'][':id'].$patch({ param: { id: props.initial.id }, json }))
      : await call(api['maintenance-windows'].$post({ json }));
    props.onSaved(saved);
  });
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    void save.run();
  };

  return (
    <form class="form form-grid" data-testid="window-form" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}>
      <label class="field span-2">
        <span>Name</span>
        <input class="input" value={f.name} onInput={(e) => setF('name', e.currentTarget.value)} placeholder="e.g. Patch night" data-testid="window-name" ref={(el) => queueMicrotask(() => el.focus())} />
        <FieldError failure={save.failure()} path="name" />
      </label>
      <div class="span-2 fields-row">
        <ScopePicker types={SCOPES} value={f.scope} onChange={(v) => setF('scope', v)} failure={save.failure()} testId="window-scope" disabled={save.pending()} />
      </div>
      <fieldset class="field span-2 radio-row">
        <legend>Schedule</legend>
        <label class="check">
          <input type="radio" name="kind" checked={f.kind === 'once'} onChange={() => setF('kind', 'once')} /> Once
        </label>
        <label class="check">
          <input type="radio" name="kind" checked={f.kind === 'recurring'} onChange={() => setF('kind', 'recurring')} /> Recurring
        </label>
      </fieldset>
      <Show
        when={f.kind === 'recurring'}
        fallback={
          <>
            <label class="field">
              <span>Starts (your local time)</span>
              <input class="input" type="datetime-local" value={f.startsAt} onInput={(e) => setF('startsAt', e.currentTarget.value)} data-testid="window-starts" />
              <FieldError failure={save.failure()} path="schedule.startsAt" />
            </label>
            <label class="field">
              <span>Ends</span>
              <input class="input" type="datetime-local" value={f.endsAt} onInput={(e) => setF('endsAt', e.currentTarget.value)} data-testid="window-ends" />
              <FieldError failure={save.failure()} path="schedule.endsAt" />
            </label>
          </>
        }
      >
        <label class="field">
          <span>Starts at (cron: minute hour day month weekday)</span>
          <input class="input mono" value={f.cron} onInput={(e) => setF('cron', e.currentTarget.value)} placeholder="0 2 * * 6" data-testid="window-cron" />
          <FieldError failure={save.failure()} path="schedule.cron" />
        </label>
        <label class="field">
          <span>Lasts (minutes)</span>
          <input class="input input-num" inputMode="numeric" value={f.durationMinutes} onInput={(e) => setF('durationMinutes', e.currentTarget.value)} />
          <FieldError failure={save.failure()} path="schedule.durationMinutes" />
        </label>
        <label class="field">
          <span>Time zone</span>
          <input class="input" list="window-zones" value={f.timezone} onInput={(e) => setF('timezone', e.currentTarget.value)} />
          <datalist id="window-zones">
            <For each={timeZones()}>{(z) => <option value={z} />}</For>
          </datalist>
          <FieldError failure={save.failure()} path="schedule.timezone" />
        </label>
      </Show>
      <label class="check span-2">
        <input type="checkbox" checked={f.enabled} onChange={(e) => setF('enabled', e.currentTarget.checked)} /> Enabled
      </label>
      <div class="span-2">
        <FormError failure={save.failure()} fields={FIELDS} />
        <div class="row gap">
          <button type="submit" class="btn btn-primary" disabled={save.pending()} data-testid="window-save">
            {save.pending() ? 'Saving…' : props.initial ? 'Save window' : 'Create window'}
          </button>
          <button type="button" class="btn btn-ghost" onClick={() => props.onCancel()}>
            Cancel
          </button>
        </div>
      </div>
    </form>
  );
}
