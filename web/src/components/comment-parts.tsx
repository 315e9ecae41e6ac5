import type { JSX } from 'solid-js';
import type { ApiFailure } from '../api/errors';
import { formatDateTimeSeconds } from '../lib/format';
import { FieldError } from './feedback';

/** A comment's first line, the same in the technician's and the client's thread: who, what kind, when. */
export function CommentHead(props: { author: JSX.Element; badge: JSX.Element; at: number }): JSX.Element {
  return (
    <div class="row gap small">
      <strong>{props.author}</strong>
      {props.badge}
      <span class="spacer" />
      <span class="muted">{formatDateTimeSeconds(props.at)}</span>
    </div>
  );
}

/** The reply box: Ctrl/Cmd+Enter sends, like the button under it, so a long reply needs no mouse. */
export function ReplyField(props: {
  label: string;
  testId: string;
  value: string;
  onInput: (value: string) => void;
  onSend: () => void;
  failure: ApiFailure | null;
  internal?: boolean;
}): JSX.Element {
  return (
    <label class="field">
      <span>{props.label}</span>
      <textarea
        class="input"
        classList={{ 'is-internal': !!props.internal }}
        rows={4}
        data-testid={props.testId}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            props.onSend();
          }
        }}
      />
      <FieldError failure={props.failure} path="body" />
    </label>
  );
}
