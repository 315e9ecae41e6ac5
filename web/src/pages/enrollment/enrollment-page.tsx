import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { settled } from '../../lib/resource';
import { api, call, fetchAll, type Data } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { formatDateTime } from '../../lib/format';
import { now } from '../../lib/clock';
import { loadClients, loadSites } from '../../state/directory';
import { can } from '../../state/session';
import { showToast, toastError } from '../../state/toasts';
import { Empty, Loading } from '../../components/feedback';
import { CreateKeyForm } from './create-key-form';
import { NewKeyPanel } from './new-key-panel';

type KeyItem = Data<(typeof api)['enrollment-keys']['$get']>['items'][number];
export type CreatedKey = Data<(typeof api)['enrollment-keys']['$post']>;

function keyState(k: KeyItem, at: number): { label: string; tone: string } {
  if (k.revokedAt) return { label: 'revoked', tone: 'bad' };
  if (k.expiresAt && k.expiresAt <= at) return { label: 'expired', tone: 'warn' };
  if (k.maxUses !== null && k.uses >= k.maxUses) return { label: 'used up', tone: 'warn' };
  return { label: 'active', tone: 'ok' };
}

export default function EnrollmentPage(): JSX.Element {
  const [keys, { refetch }] = createResource(() =>
    fetchAll((cursor) => call(api['enrollment-keys'].$get({ query: { limit: '1000', ...(cursor ? { cursor } : {}) } }))),
  );
  const [clients] = createResource(loadClients);
  const [sites] = createResource(() => loadSites());
  const [created, setCreated] = createSignal<CreatedKey | null>(null);

  const clientName = (id: string) => settled(clients)?.find((c) => c.id === id)?.name ?? id;
  const siteName = (id: string) => settled(sites)?.find((s) => s.id === id)?.name ?? id;

  const revoke = async (k: KeyItem) => {
    if (!confirm(`Revoke enrollment key "${k.name}"? Devices already enrolled keep working.`)) return;
    try {
      await call(api['enrollment-keys'][':id'].$delete({ param: { id: k.id } }));
      showToast(`Revoked ${k.name}`);
      await refetch();
    } catch (err) {
      toastError(err);
    }
  };

  return (
    <div class="page">
      <div class="page-head">
        <h1>Enrollment</h1>
      </div>
      <Show when={can('technician')}>
        <CreateKeyForm
          clients={settled(clients) ?? []}
          onCreated={(k) => {
            setCreated(k);
            void refetch();
          }}
        />
      </Show>
      <Show when={created()} keyed>
        {(k) => <NewKeyPanel created={k} onDismiss={() => setCreated(null)} />}
      </Show>
      <section class="panel">
        <div class="panel-head">
          <h2>Enrollment keys</h2>
        </div>
        <Show when={!keys.error} fallback={<Empty>Could not load keys: {describeFailure(keys.error)}</Empty>}>
          <Show when={settled(keys)} fallback={<Loading />}>
            {(list) => (
              <Show when={list().length} fallback={<Empty>No enrollment keys yet.</Empty>}>
                <table class="table" data-testid="enrollment-keys">
                  <thead>
                    <tr>
                      <th>Name</th>
                      <th>Key</th>
                      <th>Client / site</th>
                      <th class="num">Uses</th>
                      <th>Expires</th>
                      <th>State</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    <For each={list()}>
                      {(k) => {
                        const state = () => keyState(k, now());
                        return (
                          <tr classList={{ 'is-dim': state().label !== 'active' }}>
                            <td>{k.name}</td>
                            <td class="mono">{k.prefix}…</td>
                            <td>
                              {clientName(k.clientId)} / {siteName(k.siteId)}
                            </td>
                            <td class="num">
                              {k.uses}
                              {k.maxUses !== null ? ` / ${k.maxUses}` : ''}
                            </td>
                            <td class="nowrap">{k.expiresAt ? formatDateTime(k.expiresAt) : 'never'}</td>
                            <td>
                              <span class={`badge badge-${state().tone}`}>{state().label}</span>
                            </td>
                            <td class="actions">
                              <Show when={!k.revokedAt && can('technician')}>
                                <button type="button" class="btn-link danger" onClick={() => void revoke(k)}>
                                  Revoke
                                </button>
                              </Show>
                            </td>
                          </tr>
                        );
                      }}
                    </For>
                  </tbody>
                </table>
              </Show>
            )}
          </Show>
        </Show>
      </section>
    </div>
  );
}
