import { Show, type JSX } from 'solid-js';
import { MAX_SCRIPT_TIMEOUT_SECONDS } from '../../../protocol/limits';
import type { ApiFailure } from '../api/errors';
import { FieldError } from './feedback';

/** A script's timeout in seconds; a cleared box falls back to `fallback`. */
export function TimeoutField(props: { value: number; fallback: number; onChange: (seconds: number) => void; failure?: ApiFailure | null }): JSX.Element {
  return (
    <label class="field field-inline">
      <span>Timeout (s)</span>
      <input
        class="input input-num"
        type="number"
        min="1"
        max={MAX_SCRIPT_TIMEOUT_SECONDS}
        value={props.value}
        onInput={(e) => props.onChange(Number(e.currentTarget.value) || props.fallback)}
      />
      <Show when={props.failure !== undefined}>
        <FieldError failure={props.failure ?? null} path="timeoutSeconds" />
      </Show>
    </label>
  );
}
