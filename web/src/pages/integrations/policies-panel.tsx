import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { api, call } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { settled } from '../../lib/resource';
import { loadClients } from '../../state/directory';
import { showToast, toastError } from '../../state/toasts';
import { deleteConfirmed } from '../../lib/delete-confirmed';
import { Empty, Loading } from '../../components/feedback';
import { RowActions } from '../../components/row-actions';
import type { Integration, NotificationPolicy } from '../../../../protocol/api/integrations';
import { loadNotificationPolicies } from './integration-data';
import { PolicyForm } from './policy-form';
import { describeEvents, describeSeverity, describeWhen } from './policy-terms';
import '../../styles/sla.css';

/** Notification policies: an event reaches an integration only through an enabled policy that matches it. */
export function PoliciesPanel(props: { integrations: Integration[] }): JSX.Element {
  const [policies, { refetch, mutate }] = createResource(loadNotificationPolicies);
  const [clients] = createResource(loadClients);
  const [editing, setEditing] = createSignal<NotificationPolicy | 'new' | null>(null);
  const integrationName = (id: string) => props.integrations.find((i) => i.id === id)?.name ?? id;
  const clientNames = (p: NotificationPolicy) => (p.clientIds === null ? 'every client' : p.clientIds.map((id) => settled(clients)?.find((c) => c.id === id)?.name ?? id).join(', '));

  const toggle = async (p: NotificationPolicy, enabled: boolean) => {
    try {
      const saved = await call(api['notification-policies'][':id'].$patch({ param: { id: p.id }, json: { enabled } }));
      mutate((list) => list?.map((x) => (x.id === p.id ? saved : x)));
    } catch (err) {
      toastError(err);
      void refetch();
    }
  };
  const remove = (p: NotificationPolicy) =>
    deleteConfirmed(
      `Delete the notification policy “${p.name}”? Its integrations stay connected.`,
      () => call(api['notification-policies'][':id'].$delete({ param: { id: p.id } })),
      'Policy deleted',
      () => void refetch(),
    );

  return (
    <>
      <div class="row gap">
        <span class="muted">Events reach an integration only through a policy that matches them.</span>
        <span class="spacer" />
        <Show when={!editing()}>
          <button type="button" class="btn btn-primary" data-testid="new-policy" onClick={() => setEditing('new')}>
            New policy
          </button>
        </Show>
      </div>
      <Show when={editing()} keyed>
        {(e) => (
          <PolicyForm
            initial={e === 'new' ? null : e}
            integrations={props.integrations}
            clients={settled(clients) ?? []}
            onCancel={() => setEditing(null)}
            onSaved={() => {
              setEditing(null);
              showToast('Policy saved');
              void refetch();
            }}
          />
        )}
      </Show>
      <section class="panel" aria-label="Notification policies">
        <Show when={!policies.error} fallback={<Empty>Could not load policies: {describeFailure(policies.error)}</Empty>}>
          <Show when={settled(policies)} fallback={<Loading />}>
            {(list) => (
              <Show when={list().length} fallback={<Empty><span data-testid="policies-empty">No policies: integrations receive nothing but test messages.</span></Empty>}>
                <table class="table" data-testid="policies-table">
                  <thead>
                    <tr>
                      <th>Enabled</th>
                      <th>Name</th>
                      <th>Events</th>
                      <th>Severity</th>
                      <th>Clients</th>
                      <th>When</th>
                      <th>Sends to</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    <For each={list()}>
                      {(p) => (
                        <tr data-testid="policy-row" data-policy-id={p.id}>
                          <td>
                            <input type="checkbox" aria-label={`Enable ${p.name}`} checked={p.enabled} onChange={(e) => void toggle(p, e.currentTarget.checked)} />
                          </td>
                          <td>{p.name}</td>
                          <td class="small mono" data-testid="policy-events-summary">{describeEvents(p)}</td>
                          <td class="small">{describeSeverity(p)}</td>
                          <td class="small">{clientNames(p)}</td>
                          <td class="small nowrap">{describeWhen(p)}</td>
                          <td class="small" data-testid="policy-targets">{p.integrationIds.map(integrationName).join(', ')}</td>
                          <td class="nowrap">
                            <RowActions what={`policy ${p.name}`} onEdit={() => setEditing(p)} onDelete={() => void remove(p)} />
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
    </>
  );
}
