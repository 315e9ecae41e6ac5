import { Show, type JSX } from 'solid-js';
import { describeFailure, type ApiFailure } from '../api/errors';

/**
 * A field's message from the server's issues[], shown under the input it names. `exact`
 * skips issues of nested fields (a list item whose own fields show theirs).
 */
export function FieldError(props: { failure: ApiFailure | null; path: string; exact?: boolean }): JSX.Element {
  return (
    <Show when={props.failure?.issueFor(props.path, props.exact)}>
      {(message) => (
        <span class="field-error" role="alert">
          {message()}
        </span>
      )}
    </Show>
  );
}

/** A form-level failure: the ones no field claims. */
export function FormError(props: { failure: ApiFailure | null; fields?: string[] }): JSX.Element {
  const unclaimed = () => {
    const f = props.failure;
    if (!f) return null;
    const fields = props.fields ?? [];
    const claimed = f.issues.length > 0 && f.issues.every((i) => fields.some((p) => i.path === p || i.path.startsWith(p + '.')));
    return claimed ? null : describeFailure(f);
  };
  return (
    <Show when={unclaimed()}>
      {(text) => (
        <div class="form-error" role="alert">
          {text()}
        </div>
      )}
    </Show>
  );
}

export function Loading(props: { label?: string }): JSX.Element {
  return <div class="loading">{props.label ?? 'Loading…'}</div>;
}

export function Empty(props: { children: JSX.Element }): JSX.Element {
  return <div class="empty">{props.children}</div>;
}
