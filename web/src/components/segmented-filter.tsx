import { For, type JSX } from 'solid-js';

/** A row of toggle buttons picking one value, '' reading "all"; each button's test id is `<testIdPrefix><value or all>`. */
export function SegmentedFilter(props: { options: readonly string[]; value: string; onPick: (v: string) => void; label: string; testIdPrefix: string }): JSX.Element {
  return (
    <div class="segmented" role="group" aria-label={props.label}>
      <For each={['', ...props.options]}>
        {(s) => (
          <button type="button" class="btn btn-small" classList={{ 'is-active': props.value === s }} aria-pressed={props.value === s} data-testid={`${props.testIdPrefix}${s || 'all'}`} onClick={() => props.onPick(s)}>
            {s || 'all'}
          </button>
        )}
      </For>
    </div>
  );
}
