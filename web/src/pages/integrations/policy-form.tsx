import { For, Show, type JSX } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { api, call } from '../../api/client';
import { createAction } from '../../lib/action';
import type { Client } from '../../state/directory';
import { FieldError } from '../../components/feedback';
import { EditForm } from '../../components/edit-form';
import { browserTimeZone } from '../maintenance/schedule';
import type { Integration, IntegrationEventType, NotificationPolicy, TimeOfDay } from '../../../../protocol/api/integrations';
import type { Severity } from '../../../../protocol/checks';
import { KIND_LABEL } from './integration-data';
import { MIN_SEVERITY_LABEL, minSeverityOf, POLICY_EVENTS, severitiesFrom, type MinSeverity } from './policy-terms';
import { TimeWindowFields } from './time-window-fields';

const FIELDS = ['name', 'enabled', 'events', 'severities', 'clientIds', 'timeOfDay', 'integrationIds'];
const OFFICE_HOURS = (): TimeOfDay => ({ days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00', timezone: browserTimeZone() });

/** Toggle one id in a list, keeping the list's order. */
const toggled = <T,>(list: readonly T[], item: T, on: boolean): T[] => (on ? [...list, item] : list.filter((x) => x !== item));

/**
 * Which events go to which integrations. Empty lists mean "all" as in the API: no event
 * ticked is every event, no client ticked is every client.
 */
export function PolicyForm(props: { initial: NotificationPolicy | null; integrations: Integration[]; clients: Client[]; onSaved: () => void; onCancel: () => void }): JSX.Element {
  const init = props.initial;
  const [f, setF] = createStore({
    name: init?.name ?? '',
    enabled: init?.enabled ?? true,
    events: [...(init?.events ?? [])] as IntegrationEventType[],
    // A stored list that is no minimum (say info and critical) stays as it is until changed.
    severity: (init ? (minSeverityOf(init.severities) ?? 'custom') : 'any') as MinSeverity | 'custom',
    clientIds: [...(init?.clientIds ?? [])],
    timeOfDay: init?.timeOfDay ? { ...init.timeOfDay, days: [...init.timeOfDay.days] } : null,
    integrationIds: [...(init?.integrationIds ?? [])],
  });

  const save = createAction(async () => {
    const severities: Severity[] = f.severity === 'custom' ? [...(init?.severities ?? [])] : severitiesFrom(f.severity);
    const json = {
      name: f.name.trim(),
      enabled: f.enabled,
      events: [...f.events],
      severities,
      clientIds: f.clientIds.length ? [...f.clientIds] : null,
      timeOfDay: f.timeOfDay ? { ...f.timeOfDay, days: [...f.timeOfDay.days] } : null,
      integrationIds: [...f.integrationIds],
    };
    if (init) await call(api['notification-policies'][':id'].$patch({ param: { id: init.id }, json }));
    else await call(api['notification-policies'].$post({ json }));
    props.onSaved();
  });

  return (
    <EditForm
      testId="policy-form"
      label={init ? `Edit policy ${init.name}` : 'New notification policy'}
      save={save}
      fields={FIELDS}
      saveTestId="policy-save"
      saveLabel={init ? 'Save policy' : 'Create policy'}
      onCancel={props.onCancel}
    >
      <div class="fields-row">
        <label class="field grow">
          <span>Name</span>
          <input class="input" data-testid="policy-name" value={f.name} onInput={(e) => setF('name', e.currentTarget.value)} ref={(el) => queueMicrotask(() => el.focus())} />
          <FieldError failure={save.failure()} path="name" />
        </label>
        <label class="field">
          <span>Minimum severity</span>
          <select class="input select" data-testid="policy-severity" onChange={(e) => setF('severity', e.currentTarget.value as MinSeverity | 'custom')}>
            <For each={Object.entries(MIN_SEVERITY_LABEL)}>{([value, label]) => <option value={value} selected={value === f.severity}>{label}</option>}</For>
            <Show when={f.severity === 'custom' || (init && minSeverityOf(init.severities) === null)}>
              <option value="custom" selected={f.severity === 'custom'}>{`As set: ${init?.severities.join(', ')}`}</option>
            </Show>
          </select>
          <FieldError failure={save.failure()} path="severities" />
        </label>
        <label class="check">
          <input type="checkbox" checked={f.enabled} onChange={(e) => setF('enabled', e.currentTarget.checked)} />
          Enabled
        </label>
      </div>
      <fieldset class="field settings-fieldset">
        <legend>Events (none ticked: every event)</legend>
        <div class="check-list" data-testid="policy-events">
          <For each={POLICY_EVENTS}>
            {(ev) => (
              <label class="check mono small">
                <input type="checkbox" value={ev} checked={f.events.includes(ev)} onChange={(e) => setF('events', reconcile(toggled(f.events, ev, e.currentTarget.checked)))} />
                {ev}
              </label>
            )}
          </For>
        </div>
        <FieldError failure={save.failure()} path="events" />
      </fieldset>
      <fieldset class="field settings-fieldset">
        <legend>Clients (none ticked: every client; events of no client always match)</legend>
        <div class="check-list" data-testid="policy-clients">
          <For each={props.clients} fallback={<span class="muted small">No clients.</span>}>
            {(c) => (
              <label class="check">
                <input type="checkbox" checked={f.clientIds.includes(c.id)} onChange={(e) => setF('clientIds', reconcile(toggled(f.clientIds, c.id, e.currentTarget.checked)))} />
                {c.name}
              </label>
            )}
          </For>
        </div>
        <FieldError failure={save.failure()} path="clientIds" />
      </fieldset>
      <fieldset class="field settings-fieldset">
        <legend>Time of day</legend>
        <TimeWindowFields value={f.timeOfDay} fallback={OFFICE_HOURS()} failure={save.failure()} onChange={(t) => setF('timeOfDay', t === null ? null : reconcile(t))} />
      </fieldset>
      <fieldset class="field settings-fieldset">
        <legend>Send to</legend>
        <div class="check-list" data-testid="policy-integrations">
          <For each={props.integrations} fallback={<span class="muted small">Connect an integration first.</span>}>
            {(it) => (
              <label class="check">
                <input
                  type="checkbox"
                  data-integration-id={it.id}
                  checked={f.integrationIds.includes(it.id)}
                  onChange={(e) => setF('integrationIds', reconcile(toggled(f.integrationIds, it.id, e.currentTarget.checked)))}
                />
                {it.name} <span class="muted small">({KIND_LABEL[it.kind]}{it.enabled ? '' : ', off'})</span>
              </label>
            )}
          </For>
        </div>
        <FieldError failure={save.failure()} path="integrationIds" />
      </fieldset>
    </EditForm>
  );
}
