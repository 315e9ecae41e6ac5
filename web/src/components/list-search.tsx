import type { JSX } from 'solid-js';

/** A list page's search box: it shows the draft, and the page's `/` key focuses it. */
export function ListSearch(props: { ref: HTMLInputElement | ((el: HTMLInputElement) => void); value: string; onInput: (q: string) => void; placeholder: string; label: string; testId?: string }): JSX.Element {
  return (
    <input
      ref={props.ref}
      class="input search"
      type="search"
      placeholder={`${props.placeholder}   ( / )`}
      aria-label={props.label}
      data-testid={props.testId}
      value={props.value}
      onInput={(e) => props.onInput(e.currentTarget.value)}
    />
  );
}

/** The keys a list page answers, under its table. */
export function ListKeysHint(): JSX.Element {
  return (
    <div class="hint muted">
      <kbd>/</kbd> search · <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open
    </div>
  );
}
