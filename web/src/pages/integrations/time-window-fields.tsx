import { For, Show, type JSX } from 'solid-js';
import type { ApiFailure } from '../../api/errors';
import { FieldError } from '../../components/feedback';
import { timeZones } from '../maintenance/schedule';
import { WEEKDAYS } from './policy-terms';
import type { TimeOfDay } from '../../../../protocol/api/integrations';

/**
 * When a policy applies: always (null), or on some days between two local times. An end at
 * or before the start runs past midnight, so "22:00–06:00" is a night shift.
 */
export function TimeWindowFields(props: { value: TimeOfDay | null; fallback: TimeOfDay; failure: ApiFailure | null; onChange: (t: TimeOfDay | null) => void }): JSX.Element {
  const set = (patch: Partial<TimeOfDay>) => props.value && props.onChange({ ...props.value, ...patch });
  return (
    <div class="stack">
      <label class="check">
        <input type="checkbox" data-testid="policy-time-limited" checked={props.value !== null} onChange={(e) => props.onChange(e.currentTarget.checked ? props.fallback : null)} />
        Only at certain times
      </label>
      <Show when={props.value}>
        {(t) => (
          <>
            <div class="row gap wrap" role="group" aria-label="Days">
              <For each={WEEKDAYS}>
                {(d) => (
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={t().days.includes(d.day)}
                      onChange={(e) => set({ days: e.currentTarget.checked ? [...t().days, d.day].sort() : t().days.filter((x) => x !== d.day) })}
                    />
                    {d.label}
                  </label>
                )}
              </For>
            </div>
            <FieldError failure={props.failure} path="timeOfDay.days" />
            <div class="fields-row">
              <label class="field">
                <span>From</span>
                <input class="input" type="time" data-testid="policy-time-start" value={t().start} onInput={(e) => set({ start: e.currentTarget.value })} />
                <FieldError failure={props.failure} path="timeOfDay.start" />
              </label>
              <label class="field">
                <span>Until</span>
                <input class="input" type="time" data-testid="policy-time-end" value={t().end} onInput={(e) => set({ end: e.currentTarget.value })} />
                <FieldError failure={props.failure} path="timeOfDay.end" />
              </label>
              <label class="field grow">
                <span>Time zone</span>
                <input class="input" list="policy-zones" data-testid="policy-time-zone" value={t().timezone} onInput={(e) => set({ timezone: e.currentTarget.value })} />
                <datalist id="policy-zones">
                  <For each={timeZones()}>{(z) => <option value={z} />}</For>
                </datalist>
                <FieldError failure={props.failure} path="timeOfDay.timezone" />
              </label>
            </div>
          </>
        )}
      </Show>
    </div>
  );
}
