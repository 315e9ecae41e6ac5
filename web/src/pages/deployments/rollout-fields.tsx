import { Show, type JSX } from 'solid-js';
import type { ApiFailure } from '../../api/errors';
import { FieldError } from '../../components/feedback';
import type { RingsInput, ScheduleInput } from '../../state/deployments';

export interface ScheduleDraft {
  when: 'now' | 'at';
  /** A datetime-local value (the browser's time zone). */
  at: string;
  windowOnly: boolean;
}

export interface RingsDraft {
  mode: 'none' | 'count' | 'percent';
  count: number;
  percent: number;
  waitMinutes: number;
  gatePercent: number;
}

export const DEFAULT_SCHEDULE: ScheduleDraft = { when: 'now', at: '', windowOnly: false };
export const DEFAULT_RINGS: RingsDraft = { mode: 'none', count: 5, percent: 10, waitMinutes: 30, gatePercent: 100 };

/** The schedule to send, or why it cannot be sent yet. */
export function toSchedule(d: ScheduleDraft, now: number): ScheduleInput | string {
  if (d.when === 'now') return { startAt: null, windowOnly: d.windowOnly };
  const at = d.at ? new Date(d.at).getTime() : NaN;
  if (!Number.isFinite(at)) return 'Choose the date and time to start.';
  if (at <= now) return 'The start time is in the past.';
  return { startAt: at, windowOnly: d.windowOnly };
}

export function toRings(d: RingsDraft): RingsInput | null {
  if (d.mode === 'none') return null;
  const canary = d.mode === 'count' ? { count: d.count } : { percent: d.percent };
  return { ...canary, waitMinutes: d.waitMinutes, gatePercent: d.gatePercent };
}

const num = (e: { currentTarget: HTMLInputElement }) => Number(e.currentTarget.value) || 0;

/** When the deployment may send: now or from a time, and optionally only in maintenance windows. */
export function ScheduleFields(props: { value: ScheduleDraft; onChange: (d: ScheduleDraft) => void; failure: ApiFailure | null }): JSX.Element {
  const set = (p: Partial<ScheduleDraft>) => props.onChange({ ...props.value, ...p });
  return (
    <fieldset class="rollout-fields" data-testid="deploy-schedule">
      <legend>Schedule</legend>
      <div class="row gap wrap">
        <label class="check">
          <input type="radio" name="deploy-when" data-testid="schedule-now" checked={props.value.when === 'now'} onChange={() => set({ when: 'now' })} />
          Start now
        </label>
        <label class="check">
          <input type="radio" name="deploy-when" data-testid="schedule-at" checked={props.value.when === 'at'} onChange={() => set({ when: 'at' })} />
          Start at
        </label>
        <Show when={props.value.when === 'at'}>
          <input class="input" type="datetime-local" aria-label="Start at" data-testid="schedule-at-time" value={props.value.at} onInput={(e) => set({ at: e.currentTarget.value })} />
        </Show>
      </div>
      <label class="check">
        <input type="checkbox" data-testid="schedule-window-only" checked={props.value.windowOnly} onChange={(e) => set({ windowOnly: e.currentTarget.checked })} />
        Only inside each device's maintenance windows
      </label>
      <FieldError failure={props.failure} path="schedule" />
    </fieldset>
  );
}

/** Rings: none, or a canary (N devices or N %) that must pass a gate before the rest run. */
export function RingsFields(props: { value: RingsDraft; onChange: (d: RingsDraft) => void; failure: ApiFailure | null }): JSX.Element {
  const set = (p: Partial<RingsDraft>) => props.onChange({ ...props.value, ...p });
  return (
    <fieldset class="rollout-fields" data-testid="deploy-rings">
      <legend>Rings</legend>
      <div class="row gap wrap">
        <label class="field">
          <span>Canary</span>
          <select class="input select" data-testid="rings-mode" onChange={(e) => set({ mode: e.currentTarget.value as RingsDraft['mode'] })}>
            <option value="none" selected={props.value.mode === 'none'}>None: every device at once</option>
            <option value="count" selected={props.value.mode === 'count'}>A number of devices first</option>
            <option value="percent" selected={props.value.mode === 'percent'}>A share of devices first</option>
          </select>
        </label>
        <Show when={props.value.mode === 'count'}>
          <label class="field">
            <span>Canary devices</span>
            <input class="input input-num" type="number" min="1" max="10000" data-testid="rings-count" value={props.value.count} onInput={(e) => set({ count: num(e) })} />
          </label>
        </Show>
        <Show when={props.value.mode === 'percent'}>
          <label class="field">
            <span>Canary %</span>
            <input class="input input-num" type="number" min="0.1" max="99" step="0.1" data-testid="rings-percent" value={props.value.percent} onInput={(e) => set({ percent: num(e) })} />
          </label>
        </Show>
        <Show when={props.value.mode !== 'none'}>
          <label class="field">
            <span>Then wait (minutes)</span>
            <input class="input input-num" type="number" min="0" max="10080" data-testid="rings-wait" value={props.value.waitMinutes} onInput={(e) => set({ waitMinutes: num(e) })} />
          </label>
          <label class="field">
            <span>Gate: canary success at least (%)</span>
            <input class="input input-num" type="number" min="0" max="100" data-testid="rings-gate" value={props.value.gatePercent} onInput={(e) => set({ gatePercent: num(e) })} />
          </label>
        </Show>
      </div>
      <Show when={props.value.mode !== 'none'}>
        <p class="muted small">The rest wait until every canary device has a result and the wait is over; below the gate the deployment halts until an admin promotes or cancels it.</p>
      </Show>
      <FieldError failure={props.failure} path="rings" />
    </fieldset>
  );
}
