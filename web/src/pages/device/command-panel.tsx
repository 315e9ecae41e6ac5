import { Show, type JSX } from 'solid-js';
import { CommandResult } from './command-result';
import type { TrackedCommand } from './command-tracker';

/** The last action sent from a tab (a service restart, a kill) and how it went. */
export function CommandPanel(props: { title: string | null; command: TrackedCommand | null }): JSX.Element {
  return (
    <Show when={props.command} keyed>
      {(cmd) => (
        <section class="panel" data-testid="action-result" aria-live="polite">
          <div class="panel-head">
            <h2>Last action</h2>
            <span class="mono small">{props.title}</span>
          </div>
          <CommandResult command={cmd} />
        </section>
      )}
    </Show>
  );
}
