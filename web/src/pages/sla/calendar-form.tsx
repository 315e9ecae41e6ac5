import { For, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import { api, call } from '../../api/client';
import { ApiFailure } from '../../api/errors';
import { createAction } from '../../lib/action';
import { FieldError } from '../../components/feedback';
import { EditForm } from '../../components/edit-form';
import { browserTimeZone, timeZones } from '../maintenance/schedule';
import { HolidaysEditor } from './holidays-editor';
import { DAY_NAMES, formatSpans, officeWeek, parseSpans, WEEK_ORDER, type Span } from './hours';
import type { BusinessCalendar } from './sla-data';

const FIELDS = ['name', 'timezone', 'hours', 'holidays'];

/**
 * A business calendar: a time zone, each weekday's working spans typed as text
 * ("09:00–12:00, 13:00–17:00"; empty: closed) and holidays. Escape cancels.
 */
export function CalendarForm(props: { initial: BusinessCalendar | null; onSaved: (c: BusinessCalendar) => void; onCancel: () => void }): JSX.Element {
  const init = props.initial;
  const [f, setF] = createStore({
    name: init?.name ?? '',
    timezone: init?.timezone ?? browserTimeZone(),
    hours: (init?.hours ?? officeWeek()).map((spans) => formatSpans(spans)),
    holidays: [...(init?.holidays ?? [])],
  });

  const save = createAction(async () => {
    const issues: { path: string; message: string }[] = [];
    const hours: Span[][] = f.hours.map((text, day) => {
      const parsed = parseSpans(text);
      if ('error' in parsed) {
        issues.push({ path: `hours.${day}`, message: parsed.error });
        return [];
      }
      return parsed.spans;
    });
    if (issues.length) throw new ApiFailure(400, 'validation_failed', 'check the highlighted fields', issues);
    const json = { name: f.name.trim(), timezone: f.timezone.trim(), hours, holidays: [...f.holidays] };
    const saved = init
      ? await call(api['business-calendars'][':id'].$patch({ param: { id: init.id }, json }))
      : await call(api['business-calendars'].$post({ json }));
    props.onSaved(saved);
  });

  return (
    <EditForm
      testId="calendar-form"
      label={init ? `Edit calendar ${init.name}` : 'New calendar'}
      save={save}
      fields={FIELDS}
      saveTestId="calendar-save"
      saveLabel={init ? 'Save calendar' : 'Create calendar'}
      onCancel={props.onCancel}
    >
      <div class="fields-row">
        <label class="field grow">
          <span>Name</span>
          <input class="input" data-testid="calendar-name" value={f.name} onInput={(e) => setF('name', e.currentTarget.value)} ref={(el) => queueMicrotask(() => el.focus())} />
          <FieldError failure={save.failure()} path="name" />
        </label>
        <label class="field grow">
          <span>Time zone</span>
          <input class="input" list="calendar-zones" data-testid="calendar-timezone" value={f.timezone} onInput={(e) => setF('timezone', e.currentTarget.value)} />
          <datalist id="calendar-zones">
            <For each={timeZones()}>{(z) => <option value={z} />}</For>
          </datalist>
          <FieldError failure={save.failure()} path="timezone" />
        </label>
      </div>
      <fieldset class="field settings-fieldset">
        <legend>Working hours (local time; several spans separated by commas; empty: closed)</legend>
        <table class="table sla-week">
          <tbody>
            <For each={WEEK_ORDER}>
              {(day) => (
                <tr>
                  <th scope="row">{DAY_NAMES[day]}</th>
                  <td>
                    <input
                      class="input mono"
                      aria-label={`${DAY_NAMES[day]} hours`}
                      data-testid={`calendar-hours-${day}`}
                      placeholder="closed"
                      value={f.hours[day]}
                      onInput={(e) => setF('hours', day, e.currentTarget.value)}
                    />
                    <FieldError failure={save.failure()} path={`hours.${day}`} />
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
        <FieldError failure={save.failure()} path="hours" exact />
      </fieldset>
      <fieldset class="field settings-fieldset">
        <legend>Holidays (no working hours all day)</legend>
        <HolidaysEditor value={f.holidays} onChange={(dates) => setF('holidays', dates)} />
        <FieldError failure={save.failure()} path="holidays" />
      </fieldset>
    </EditForm>
  );
}
