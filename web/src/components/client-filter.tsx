import { createResource, For, type JSX } from 'solid-js';
import { settled } from '../lib/resource';
import { loadClients } from '../state/directory';

/**
 * A list's client menu: every client, or one. It loads the clients itself; the options mark
 * themselves because a client may be chosen from the URL before the clients arrive.
 */
export function ClientFilter(props: { value: string | undefined; onChange: (clientId: string) => void; testId: string; anyLabel?: string }): JSX.Element {
  const [clients] = createResource(loadClients);
  return (
    <select class="input select" aria-label="Client" data-testid={props.testId} value={props.value ?? ''} onChange={(e) => props.onChange(e.currentTarget.value)}>
      <option value="">{props.anyLabel ?? 'All clients'}</option>
      <For each={settled(clients)}>{(c) => <option value={c.id} selected={c.id === props.value}>{c.name}</option>}</For>
    </select>
  );
}
