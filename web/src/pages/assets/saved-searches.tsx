import { For, Show, type JSX } from 'solid-js';
import { relativeTime } from '../../lib/format';
import { now } from '../../lib/clock';
import type { SavedSearch } from './search-data';

/** The tenant's saved searches; choosing one loads it into the builder and runs it. */
export function SavedSearches(props: { items: SavedSearch[] | undefined; current: string | null; onOpen: (s: SavedSearch) => void; onNew: () => void }): JSX.Element {
  return (
    <aside class="panel" data-testid="saved-searches">
      <div class="panel-head">
        <h2>Saved searches</h2>
        <span class="spacer" />
        <button type="button" class="btn btn-small btn-ghost" data-testid="new-search" onClick={() => props.onNew()}>
          New
        </button>
      </div>
      <Show when={props.items} fallback={<span class="muted small">Loading…</span>}>
        {(items) => (
          <ul class="saved-list">
            <For each={items()} fallback={<li class="muted small">None yet: run a search, then save it under a name.</li>}>
              {(s) => (
                <li>
                  <button
                    type="button"
                    class="btn btn-ghost btn-block"
                    classList={{ 'is-active': props.current === s.id }}
                    aria-current={props.current === s.id ? 'true' : undefined}
                    data-testid="saved-search"
                    title={`Saved ${relativeTime(s.updatedAt, now())}`}
                    onClick={() => props.onOpen(s)}
                  >
                    {s.name}
                  </button>
                </li>
              )}
            </For>
          </ul>
        )}
      </Show>
    </aside>
  );
}
