import { For, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import { api, call } from '../../api/client';
import { ApiFailure } from '../../api/errors';
import { createAction } from '../../lib/action';
import type { Client } from '../../state/directory';
import { FieldError } from '../../components/feedback';
import { EditForm } from '../../components/edit-form';
import { fromDurationText, toDurationText } from './hours';
import { PRIORITIES } from '../../state/tickets';
import type { BusinessCalendar, SlaPolicy, SlaTargets } from './sla-data';
import { TargetsEditor, type TargetClock, type TargetsText } from './targets-editor';

const CLOCK_KEYS: TargetClock[] = ['firstResponseMinutes', 'resolutionMinutes'];
const FIELDS = ['name', 'clientId', 'calendarId', ...PRIORITIES.flatMap((p) => CLOCK_KEYS.map((k) => `targets.${p}.${k}`))];

function targetsText(targets: SlaTargets | undefined): TargetsText {
  const text = {} as TargetsText;
  for (const p of PRIORITIES) {
    text[p] = { firstResponseMinutes: toDurationText(targets?.[p]?.firstResponseMinutes), resolutionMinutes: toDurationText(targets?.[p]?.resolutionMinutes) };
  }
  return text;
}

/** Both clocks of a priority, or neither: the API keeps them as one target. */
function toTargets(text: TargetsText): SlaTargets {
  const issues: { path: string; message: string }[] = [];
  const targets: SlaTargets = {};
  for (const p of PRIORITIES) {
    const [first, resolution] = CLOCK_KEYS.map((k) => fromDurationText(text[p][k]));
    if (first === null && resolution === null) continue;
    CLOCK_KEYS.forEach((k, i) => {
      const value = [first, resolution][i];
      if (typeof value === 'string') issues.push({ path: `targets.${p}.${k}`, message: value });
      if (value === null) issues.push({ path: `targets.${p}.${k}`, message: 'set both clocks of a priority, or neither' });
    });
    if (typeof first === 'number' && typeof resolution === 'number') targets[p] = { firstResponseMinutes: first, resolutionMinutes: resolution };
  }
  if (issues.length) throw new ApiFailure(400, 'validation_failed', 'check the highlighted fields', issues);
  return targets;
}

/** An SLA policy: whose tickets (one client, or the tenant default), which calendar, which targets. */
export function SlaPolicyForm(props: {
  initial: SlaPolicy | null;
  clients: Client[];
  calendars: BusinessCalendar[];
  onSaved: (p: SlaPolicy) => void;
  onCancel: () => void;
}): JSX.Element {
  const init = props.initial;
  const [f, setF] = createStore({
    name: init?.name ?? '',
    clientId: init?.clientId ?? '',
    calendarId: init?.calendarId ?? '',
    targets: targetsText(init?.targets),
  });

  const save = createAction(async () => {
    const json = { name: f.name.trim(), clientId: f.clientId || null, calendarId: f.calendarId || null, targets: toTargets(f.targets) };
    const saved = init
      ? await call(api['sla-policies'][':id'].$patch({ param: { id: init.id }, json }))
      : await call(api['sla-policies'].$post({ json }));
    props.onSaved(saved);
  });

  return (
    <EditForm
      testId="sla-policy-form"
      label={init ? `Edit SLA policy ${init.name}` : 'New SLA policy'}
      save={save}
      fields={FIELDS}
      saveTestId="sla-policy-save"
      saveLabel={init ? 'Save policy' : 'Create policy'}
      onCancel={props.onCancel}
    >
      <div class="fields-row">
        <label class="field grow">
          <span>Name</span>
          <input class="input" data-testid="sla-policy-name" value={f.name} onInput={(e) => setF('name', e.currentTarget.value)} ref={(el) => queueMicrotask(() => el.focus())} />
          <FieldError failure={save.failure()} path="name" />
        </label>
        <label class="field">
          <span>Applies to</span>
          <select class="input select" data-testid="sla-policy-client" onChange={(e) => setF('clientId', e.currentTarget.value)}>
            <option value="" selected={!f.clientId}>Tenant default (clients without their own)</option>
            <For each={props.clients}>{(c) => <option value={c.id} selected={c.id === f.clientId}>{c.name}</option>}</For>
          </select>
          <FieldError failure={save.failure()} path="clientId" />
        </label>
        <label class="field">
          <span>Clock runs</span>
          <select class="input select" data-testid="sla-policy-calendar" onChange={(e) => setF('calendarId', e.currentTarget.value)}>
            <option value="" selected={!f.calendarId}>Round the clock</option>
            <For each={props.calendars}>{(c) => <option value={c.id} selected={c.id === f.calendarId}>{`${c.name} (${c.timezone})`}</option>}</For>
          </select>
          <FieldError failure={save.failure()} path="calendarId" />
        </label>
      </div>
      <fieldset class="field settings-fieldset">
        <legend>Targets (business time of the calendar; blank: no target for that priority)</legend>
        <TargetsEditor value={f.targets} failure={save.failure()} onChange={(p, clock, d) => setF('targets', p, clock, d)} />
      </fieldset>
    </EditForm>
  );
}
