import { A } from '@solidjs/router';
import { createSignal, Show, type JSX } from 'solid-js';
import type { ApiFailure } from '../../api/errors';
import { can } from '../../state/session';
import { FieldError, FormError } from '../../components/feedback';

/** How a bulk job runs, common to every new-job form: its name, devices at a time, and how long offline devices may still get it. */
export interface RunSettings {
  name: () => string;
  setName: (v: string) => void;
  concurrency: () => number;
  setConcurrency: (v: number) => void;
  hours: () => number;
  setHours: (v: number) => void;
  /** The settings as the create body's fields; an empty name is left out so the server names the job after its action. */
  body: () => { name?: string; concurrency: number; ttlSeconds: number };
}

export function createRunSettings(): RunSettings {
  const [name, setName] = createSignal('');
  const [concurrency, setConcurrency] = createSignal(50);
  const [hours, setHours] = createSignal(24);
  return {
    name,
    setName,
    concurrency,
    setConcurrency,
    hours,
    setHours,
    body: () => ({ ...(name().trim() ? { name: name().trim() } : {}), concurrency: concurrency(), ttlSeconds: Math.round(hours() * 3600) }),
  };
}

/** The name, concurrency and expiry inputs; test ids are `<testPrefix>-name`, `-concurrency`, `-expiry`. */
export function RunSettingsFields(props: { settings: RunSettings; failure: ApiFailure | null; testPrefix: string }): JSX.Element {
  const s = props.settings;
  return (
    <div class="row gap wrap">
      <label class="field grow">
        <span>Name (optional)</span>
        <input class="input" data-testid={`${props.testPrefix}-name`} maxLength={120} value={s.name()} onInput={(e) => s.setName(e.currentTarget.value)} />
      </label>
      <label class="field">
        <span>Devices at a time</span>
        <input class="input input-num" type="number" min="1" max="1000" data-testid={`${props.testPrefix}-concurrency`} value={s.concurrency()} onInput={(e) => s.setConcurrency(Number(e.currentTarget.value) || 1)} />
        <FieldError failure={props.failure} path="concurrency" />
      </label>
      <label class="field">
        <span>Offline devices get it for (hours)</span>
        <input class="input input-num" type="number" min="1" max="168" data-testid={`${props.testPrefix}-expiry`} value={s.hours()} onInput={(e) => s.setHours(Number(e.currentTarget.value) || 24)} />
        <FieldError failure={props.failure} path="ttlSeconds" />
      </label>
    </div>
  );
}

/** A new-job form's end: the client-side problem, server errors no field claimed, submit and Cancel. */
export function NewJobFooter(props: {
  problem: string | null;
  failure: ApiFailure | null;
  fields: string[];
  pending: boolean;
  label: string;
  submitTestId: string;
  cancelHref: string;
}): JSX.Element {
  return (
    <>
      <Show when={props.problem}>
        <div class="form-error" role="alert">
          {props.problem}
        </div>
      </Show>
      <FormError failure={props.failure} fields={props.fields} />
      <div class="row gap">
        <button type="submit" class="btn btn-primary" data-testid={props.submitTestId} disabled={props.pending || !can('technician')} title="Create (Ctrl+Enter)">
          {props.label}
        </button>
        <A href={props.cancelHref} class="btn btn-ghost">
          Cancel
        </A>
      </div>
    </>
  );
}
