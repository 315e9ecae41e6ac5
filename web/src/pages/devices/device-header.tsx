import { For, type JSX } from 'solid-js';
import type { Sort, SortKey } from './device-query';

const COLUMNS: { key: SortKey | null; label: string }[] = [
  { key: 'status', label: 'Status' },
  { key: 'hostname', label: 'Hostname' },
  { key: 'client', label: 'Client' },
  { key: 'site', label: 'Site' },
  { key: 'os', label: 'OS' },
  { key: null, label: 'IP address' },
  { key: 'agent', label: 'Agent' },
  { key: 'lastSeen', label: 'Last seen' },
];

export function DeviceHeader(props: { sort: Sort; onSort: (key: SortKey) => void }): JSX.Element {
  return (
    <div role="row" class="grid-header device-grid">
      <For each={COLUMNS}>
        {(col) => {
          const active = () => col.key !== null && props.sort.key === col.key;
          return (
            <div
              role="columnheader"
              class="cell"
              aria-sort={active() ? (props.sort.desc ? 'descending' : 'ascending') : undefined}
            >
              {col.key === null ? (
                col.label
              ) : (
                <button type="button" class="sort-button" onClick={() => props.onSort(col.key!)}>
                  {col.label}
                  <span class="sort-mark" aria-hidden="true">
                    {active() ? (props.sort.desc ? '▼' : '▲') : ''}
                  </span>
                </button>
              )}
            </div>
          );
        }}
      </For>
    </div>
  );
}
