import { For, Show, type JSX } from 'solid-js';
import type { Client } from '../state/directory';

/**
 * "All clients" or a chosen few: the scope of a user or token. null means all; the
 * checkboxes appear only when limiting.
 */
export function ClientPicker(props: { clients: Client[]; value: string[] | null; onChange: (v: string[] | null) => void }): JSX.Element {
  const toggle = (id: string, on: boolean) => {
    const cur = props.value ?? [];
    props.onChange(on ? [...cur, id] : cur.filter((c) => c !== id));
  };
  return (
    <div class="client-picker">
      <label class="check">
        <input type="checkbox" checked={props.value !== null} onChange={(e) => props.onChange(e.currentTarget.checked ? [] : null)} />
        Limit to some clients
      </label>
      <Show when={props.value !== null}>
        <div class="check-list">
          <For each={props.clients} fallback={<span class="muted">No clients yet</span>}>
            {(c) => (
              <label class="check">
                <input type="checkbox" checked={props.value?.includes(c.id)} onChange={(e) => toggle(c.id, e.currentTarget.checked)} />
                {c.name}
              </label>
            )}
          </For>
        </div>
      </Show>
    </div>
  );
}

export function clientNames(ids: string[] | null, clients: Client[]): string {
  if (ids === null) return 'All clients';
  if (!ids.length) return 'No clients';
  return ids.map((id) => clients.find((c) => c.id === id)?.name ?? id).join(', ');
}
