import { Show, type JSX } from 'solid-js';
import type { ApiFailure } from '../api/errors';
import { Dialog } from './dialog';
import { FieldError, FormError } from './feedback';

/** A confirm dialog that asks for a reason (a rejection, a promote past a gate) before the action runs. */
export function ReasonDialog(props: {
  open: boolean;
  title: string;
  testId: string;
  /** Shown above the reason, for what the action does. */
  note?: string;
  label: string;
  reason: string;
  onReason: (v: string) => void;
  /** An empty reason keeps the submit disabled. */
  required?: boolean;
  reasonTestId?: string;
  submit: { label: string; class: string; testId?: string };
  failure: ApiFailure | null;
  pending: boolean;
  onSubmit: () => void;
  onClose: () => void;
}): JSX.Element {
  return (
    <Dialog open={props.open} title={props.title} onClose={props.onClose} testId={props.testId}>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit();
        }}
      >
        <Show when={props.note}>
          <p class="muted small">{props.note}</p>
        </Show>
        <label class="field">
          <span>{props.label}</span>
          <textarea class="input" rows={3} maxLength={500} required={props.required} data-testid={props.reasonTestId} value={props.reason} onInput={(e) => props.onReason(e.currentTarget.value)} />
          <FieldError failure={props.failure} path="reason" />
        </label>
        <FormError failure={props.failure} fields={['reason']} />
        <div class="row gap dialog-actions">
          <button type="submit" class={props.submit.class} data-testid={props.submit.testId} disabled={props.pending || (!!props.required && !props.reason.trim())}>
            {props.submit.label}
          </button>
          <button type="button" class="btn btn-ghost" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
