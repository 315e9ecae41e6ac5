import { A } from '@solidjs/router';
import { For, Show, type JSX } from 'solid-js';

export interface Bar {
  label: string;
  value: number;
  /** The value as shown; the raw number when absent. */
  display?: string;
  href?: string;
  tone?: 'ok' | 'warn' | 'bad' | 'info';
}

/**
 * Horizontal bars with their numbers written out: readable at a glance, and by a screen
 * reader as a plain list. Labels may be agent-reported hostnames, so they are text nodes.
 */
export function BarList(props: { bars: Bar[]; max?: number; testId?: string; empty?: string }): JSX.Element {
  const max = () => props.max ?? Math.max(1, ...props.bars.map((b) => b.value));
  return (
    <Show when={props.bars.length} fallback={<div class="muted small">{props.empty ?? 'Nothing to show.'}</div>}>
      <ul class="bars" data-testid={props.testId}>
        <For each={props.bars}>
          {(b) => (
            <li class={`bar bar-${b.tone ?? 'info'}`}>
              <span class="bar-label ellipsis-line" title={b.label}>
                <Show when={b.href} fallback={b.label}>
                  {(href) => <A href={href()}>{b.label}</A>}
                </Show>
              </span>
              <span class="bar-track" aria-hidden="true">
                <span class="bar-fill" style={{ width: `${Math.max(0, Math.min(100, (b.value / max()) * 100))}%` }} />
              </span>
              <span class="bar-value">{b.display ?? b.value.toLocaleString()}</span>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
