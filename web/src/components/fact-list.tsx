import { For, Show, type JSX } from 'solid-js';

/** One label and its value; null, undefined and '' mean "not reported" and leave the line out. */
export type Fact = [label: string, value: string | number | null | undefined];

const present = (f: Fact) => f[1] !== null && f[1] !== undefined && f[1] !== '';

/** A compact definition list of reported facts; values are text nodes only. */
export function FactList(props: { facts: Fact[]; testId?: string; empty?: string }): JSX.Element {
  const shown = () => props.facts.filter(present);
  return (
    <Show when={shown().length} fallback={<span class="muted small">{props.empty ?? 'Not reported.'}</span>}>
      <dl class="facts" data-testid={props.testId}>
        <For each={shown()}>
          {([label, value]) => (
            <>
              <dt>{label}</dt>
              <dd>{String(value)}</dd>
            </>
          )}
        </For>
      </dl>
    </Show>
  );
}
