import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { settled } from '../../lib/resource';
import { api, call } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { createAction } from '../../lib/action';
import { loadSites, type Client, type Site } from '../../state/directory';
import { can } from '../../state/session';
import { showToast, toastError } from '../../state/toasts';
import { Empty, FieldError, FormError, Loading } from '../../components/feedback';
import { InlineEdit } from '../../components/inline-edit';

/** The sites of one client: list, add, rename, delete. */
export function ClientSites(props: { client: Client; onChanged: () => void }): JSX.Element {
  const [sites, { refetch }] = createResource(() => props.client.id, loadSites);
  const [name, setName] = createSignal('');
  const [address, setAddress] = createSignal('');

  const create = createAction(async () => {
    await call(api.sites.$post({ json: { clientId: props.client.id, name: name().trim(), address: address().trim() || null } }));
    setName('');
    setAddress('');
    await refetch();
  });

  const rename = async (s: Site, next: string) => {
    try {
      await call(api.sites[':id'].$patch({ param: { id: s.id }, json: { name: next } }));
      await refetch();
    } catch (err) {
      toastError(err);
      throw err;
    }
  };

  const remove = async (s: Site) => {
    if (!confirm(`Delete site "${s.name}"?`)) return;
    try {
      await call(api.sites[':id'].$delete({ param: { id: s.id } }));
      showToast(`Deleted ${s.name}`);
      await refetch();
      props.onChanged();
    } catch (err) {
      toastError(err);
    }
  };

  return (
    <section class="panel">
      <div class="panel-head">
        <h2>
          Sites of <span class="accent">{props.client.name}</span>
        </h2>
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
            <span>New site</span>
            <input class="input" placeholder="Site name" value={name()} onInput={(e) => setName(e.currentTarget.value)} data-testid="site-name" />
            <FieldError failure={create.failure()} path="name" />
          </label>
          <label class="field grow">
            <span>Address</span>
            <input class="input" placeholder="Optional" value={address()} onInput={(e) => setAddress(e.currentTarget.value)} />
            <FieldError failure={create.failure()} path="address" />
          </label>
          <button type="submit" class="btn btn-primary" disabled={!name().trim() || create.pending()}>
            Add site
          </button>
        </form>
        <FormError failure={create.failure()} fields={['name', 'address']} />
      </Show>
      <Show when={!sites.error} fallback={<Empty>Could not load sites: {describeFailure(sites.error)}</Empty>}>
        <Show when={settled(sites)} fallback={<Loading />}>
          {(list) => (
            <Show when={list().length} fallback={<Empty>No sites yet. Devices enroll into a site, so add one.</Empty>}>
              <table class="table" data-testid="sites-table">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Address</th>
                    <th class="num">Devices</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  <For each={list()}>
                    {(s) => (
                      <tr>
                        <td>
                          <Show when={can('admin')} fallback={s.name}>
                            <InlineEdit value={s.name} label={s.name} save={(n) => rename(s, n)} />
                          </Show>
                        </td>
                        <td class="muted">{s.address ?? ''}</td>
                        <td class="num">{s.deviceCount}</td>
                        <td class="actions">
                          <Show when={can('admin')}>
                            <button type="button" class="btn-link danger" onClick={() => void remove(s)}>
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
  );
}
