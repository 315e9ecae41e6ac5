import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { api, call } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { settled } from '../../lib/resource';
import { can } from '../../state/session';
import { showToast, toastError } from '../../state/toasts';
import { loadUsers } from '../../state/users';
import { Empty, Loading } from '../../components/feedback';
import { loadIntegrations } from '../integrations/integration-data';
import { loadPolicies, type Policy } from './policies';
import { PolicyForm } from './policy-form';

/** Escalation policies: who is told about an alert nobody acknowledged, and when. */
export default function EscalationPage(): JSX.Element {
  const [policies, { refetch }] = createResource(loadPolicies);
  const [users] = createResource(() => can('admin') || false, loadUsers);
  const [channels] = createResource(() => can('admin') || false, loadIntegrations);
  const [editing, setEditing] = createSignal<Policy | 'new' | null>(null);
  const userName = (id: string) => settled(users)?.find((u) => u.id === id)?.name ?? id;

  const saved = (p: Policy) => {
    showToast(`${editing() === 'new' ? 'Created' : 'Saved'} ${p.name}`);
    setEditing(null);
    void refetch();
  };
  const remove = async (p: Policy) => {
    if (!confirm(`Delete the escalation policy "${p.name}"?`)) return;
    try {
      await call(api['escalation-policies'][':id'].$delete({ param: { id: p.id } }));
      showToast(`Deleted ${p.name}`);
      void refetch();
    } catch (err) {
      // A policy in use answers 409 naming the sets that use it.
      toastError(err);
    }
  };

  // Ids of integrations deleted since are left out: nothing is posted to them.
  const channelNames = (ids: string[]) => {
    const list = settled(channels);
    return list ? ids.flatMap((id) => list.filter((c) => c.id === id).map((c) => `#${c.name}`)) : [];
  };
  const tierText = (t: Policy['tiers'][number]) =>
    `after ${t.afterMinutes} min: ${[...t.roles.map((r) => `all ${r}s`), ...t.userIds.map(userName), ...channelNames(t.integrationIds)].join(', ')}`;

  return (
    <div class="page">
      <div class="page-head">
        <h1>Escalation policies</h1>
        <span class="muted">Who hears about an unacknowledged alert, and when</span>
        <span class="spacer" />
        <Show when={can('admin') && editing() === null}>
          <button type="button" class="btn btn-primary" data-testid="new-policy" onClick={() => setEditing('new')}>
            New policy
          </button>
        </Show>
      </div>
      <Show when={editing()} keyed>
        {(e) => (
          <section class="panel">
            <div class="panel-head">
              <h2>{e === 'new' ? 'New policy' : `Edit ${e.name}`}</h2>
            </div>
            <PolicyForm initial={e === 'new' ? undefined : e} users={settled(users) ?? []} channels={settled(channels)} onSaved={saved} onCancel={() => setEditing(null)} />
          </section>
        )}
      </Show>
      <section class="panel">
        <Show when={!policies.error} fallback={<Empty>Could not load policies: {describeFailure(policies.error)}</Empty>}>
          <Show when={settled(policies)} fallback={<Loading />}>
            {(list) => (
              <Show when={list().length} fallback={<Empty>No policies yet. Without one, alerts still show on the Alerts page but notify nobody.</Empty>}>
                <table class="table" data-testid="policies-table">
                  <thead>
                    <tr>
                      <th>Name</th>
                      <th class="col-wide">Tiers</th>
                      <th>Repeat</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    <For each={list()}>
                      {(p) => (
                        <tr>
                          <td>
                            {p.name} <Show when={p.isDefault}><span class="badge badge-ok">default</span></Show>
                          </td>
                          <td>
                            <ol class="tier-list">
                              <For each={p.tiers}>{(t) => <li>{tierText(t)}</li>}</For>
                            </ol>
                          </td>
                          <td class="nowrap">{p.repeatEveryMinutes ? `every ${p.repeatEveryMinutes} min` : '—'}</td>
                          <td class="actions">
                            <Show when={can('admin')}>
                              <button type="button" class="btn-link" onClick={() => setEditing(p)} aria-label={`Edit ${p.name}`}>Edit</button>
                              <button type="button" class="btn-link danger" onClick={() => void remove(p)} aria-label={`Delete ${p.name}`}>Delete</button>
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
    </div>
  );
}
