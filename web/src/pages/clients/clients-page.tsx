import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { settled } from '../../lib/resource';
import { api, call } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { createAction } from '../../lib/action';
import { formatDateTime } from '../../lib/format';
import { loadClients, type Client } from '../../state/directory';
import { can } from '../../state/session';
import { showToast, toastError } from '../../state/toasts';
import { Empty, FieldError, FormError, Loading } from '../../components/feedback';
import { InlineEdit } from '../../components/inline-edit';
import { ClientSites } from './client-sites';

export default function ClientsPage(): JSX.Element {
  const [clients, { refetch }] = createResource(loadClients);
  const [selectedId, setSelectedId] = createSignal<string | null>(null);
  const selected = () => settled(clients)?.find((c) => c.id === selectedId()) ?? settled(clients)?.[0] ?? null;

  const [name, setName] = createSignal('');
  const [notes, setNotes] = createSignal('');
  const create = createAction(async () => {
    const created = await call(api.clients.$post({ json: { name: name().trim(), notes: notes().trim() || null } }));
    setName('');
    setNotes('');
    await refetch();
    setSelectedId(created.id);
  });

  const rename = async (c: Client, next: string) => {
    try {
      await call(api.clients[':id'].$patch({ param: { id: c.id }, json: { name: next } }));
      await refetch();
    } catch (err) {
      toastError(err);
      throw err;
    }
  };

  const remove = async (c: Client) => {
    if (!confirm(`Delete client "${c.name}"? This cannot be undone.`)) return;
    try {
      await call(api.clients[':id'].$delete({ param: { id: c.id } }));
      showToast(`Deleted ${c.name}`);
      if (selectedId() === c.id) setSelectedId(null);
      await refetch();
    } catch (err) {
      toastError(err);
    }
  };

  return (
    <div class="page">
      <div class="page-head">
        <h1>Clients & sites</h1>
      </div>
      <div class="split">
        <section class="panel">
          <div class="panel-head">
            <h2>Clients</h2>
            <span class="muted">{settled(clients)?.length ?? ''}</span>
          </div>
          <Show when={can('admin')}>
            <form
              class="form form-row"
              onSubmit={(e) => {
                e.preventDefault();
                void create.run();
              }}
            >
              <label class="field">
                <span>New client</span>
                <input class="input" placeholder="Client name" value={name()} onInput={(e) => setName(e.currentTarget.value)} data-testid="client-name" />
                <FieldError failure={create.failure()} path="name" />
              </label>
              <label class="field grow">
                <span>Notes</span>
                <input class="input" placeholder="Optional" value={notes()} onInput={(e) => setNotes(e.currentTarget.value)} />
                <FieldError failure={create.failure()} path="notes" />
              </label>
              <button type="submit" class="btn btn-primary" disabled={!name().trim() || create.pending()}>
                Add client
              </button>
            </form>
            <FormError failure={create.failure()} fields={['name', 'notes']} />
          </Show>
          <Show when={!clients.error} fallback={<Empty>Could not load clients: {describeFailure(clients.error)}</Empty>}>
            <Show when={settled(clients)} fallback={<Loading />}>
              {(list) => (
                <Show when={list().length} fallback={<Empty>No clients yet. Add the first customer above.</Empty>}>
                  <table class="table table-click" data-testid="clients-table">
                    <thead>
                      <tr>
                        <th>Name</th>
                        <th class="num">Devices</th>
                        <th>Created</th>
                        <th />
                      </tr>
                    </thead>
                    <tbody>
                      <For each={list()}>
                        {(c) => (
                          <tr classList={{ 'is-selected': selected()?.id === c.id }} onClick={() => setSelectedId(c.id)}>
                            <td>
                              <Show when={can('admin')} fallback={c.name}>
                                <InlineEdit value={c.name} label={c.name} save={(n) => rename(c, n)} />
                              </Show>
                              <Show when={c.notes}>
                                <div class="muted small">{c.notes}</div>
                              </Show>
                            </td>
                            <td class="num">{c.deviceCount}</td>
                            <td class="nowrap">{formatDateTime(c.createdAt)}</td>
                            <td class="actions">
                              <Show when={can('admin')}>
                                <button
                                  type="button"
                                  class="btn-link danger"
                                  onClick={(e) => {
                                    e.stopPropagation();
                                    void remove(c);
                                  }}
                                >
                                  Delete
                                </button>
                              </Show>
                            </td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </Show>
              )}
            </Show>
          </Show>
        </section>
        {/* Keyed on the id: a refetch hands out new objects for the same client. */}
        <Show when={selected()?.id} keyed>
          {(_id) => <ClientSites client={selected()!} onChanged={() => void refetch()} />}
        </Show>
      </div>
    </div>
  );
}
