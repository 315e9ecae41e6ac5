import type { JSX } from 'solid-js';

/** Colour and word together, so status never depends on colour vision alone. */
export function StatusDot(props: { status: 'online' | 'offline'; testId?: string }): JSX.Element {
  return (
    <span class={`status status-${props.status}`}>
      <span class="dot" aria-hidden="true" />
      <span data-testid={props.testId}>{props.status}</span>
    </span>
  );
}
