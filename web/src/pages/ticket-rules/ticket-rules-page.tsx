import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { api, call, fetchAll } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { settled } from '../../lib/resource';
import { loadClients, loadSites } from '../../state/directory';
import { can } from '../../state/session';
import { showToast, toastError } from '../../state/toasts';
import { loadUsers } from '../../state/users';
import { Empty, Loading } from '../../components/feedback';
import { RuleForm } from './rule-form';
import type { TicketRule } from './rule-types';
import '../../styles/desk.css';

function loadRules(): Promise<TicketRule[]> {
  return fetchAll((cursor) => call(api['ticket-rules'].$get({ query: { limit: '500', ...(cursor ? { cursor } : {}) } })));
}

function matchSummary(r: TicketRule): string {
  const m = r.match;
  const parts = [
    m.severities?.length ? m.severities.join('/') : 'any severity',
    m.checkTypes?.length ? m.checkTypes.join('/') : null,
    m.clientIds?.length ? `${m.clientIds.length} client(s)` : null,
    m.siteIds?.length ? `${m.siteIds.length} site(s)` : null,
    m.tags?.length ? `tags ${m.tags.join(', ')}` : null,
  ];
  return parts.filter(Boolean).join(' · ');
}

/** Alert→ticket rules in the order they are tried: toggle, reorder, edit with a live preview. */
export default function TicketRulesPage(): JSX.Element {
  const [rules, { refetch, mutate }] = createResource(loadRules);
  const [clients] = createResource(loadClients);
  const [sites] = createResource(() => loadSites());
  const [users] = createResource(loadUsers);
  const [editing, setEditing] = createSignal<TicketRule | 'new' | null>(null);
  const admin = () => can('admin');
  // Rules go to technicians and above only.
  const assignable = () => (settled(users) ?? []).filter((u) => u.role !== 'readonly' && u.role !== 'client' && u.disabledAt === null).map((u) => ({ id: u.id, name: u.name }));

  const toggle = async (r: TicketRule, enabled: boolean) => {
    try {
      const saved = await call(api['ticket-rules'][':id'].$patch({ param: { id: r.id }, json: { enabled } }));
      mutate((list) => list?.map((x) => (x.id === r.id ? saved : x)));
    } catch (err) {
      toastError(err);
      void refetch();
    }
  };
  const move = async (index: number, by: -1 | 1) => {
    const list = [...(settled(rules) ?? [])];
    const other = index + by;
    if (other < 0 || other >= list.length) return;
    [list[index], list[other]] = [list[other]!, list[index]!];
    mutate(list);
    try {
      const res = await call(api['ticket-rules'].reorder.$post({ json: { ids: list.map((r) => r.id) } }));
      mutate(res.items);
    } catch (err) {
      toastError(err);
      void refetch();
    }
  };
  const remove = async (r: TicketRule) => {
    if (!confirm(`Delete the rule “${r.name}”? Tickets it opened stay.`)) return;
    try {
      await call(api['ticket-rules'][':id'].$delete({ param: { id: r.id } }));
      showToast('Rule deleted');
      void refetch();
    } catch (err) {
      toastError(err);
    }
  };

  return (
    <div class="page">
      <div class="page-head">
        <h1>Ticket rules</h1>
        <span class="muted">Alerts matching a rule open tickets; the first matching rule wins.</span>
        <span class="spacer" />
        <Show when={admin() && !editing()}>
          <button type="button" class="btn btn-primary" data-testid="new-rule" onClick={() => setEditing('new')}>
            New rule
          </button>
        </Show>
      </div>
      <Show when={editing()} keyed>
        {(e) => (
          <RuleForm
            initial={e === 'new' ? null : e}
            clients={settled(clients) ?? []}
            sites={settled(sites) ?? []}
            users={assignable()}
            onCancel={() => setEditing(null)}
            onSaved={() => {
              setEditing(null);
              showToast('Rule saved');
              void refetch();
            }}
          />
        )}
      </Show>
      <section class="panel">
        <Show when={!rules.error} fallback={<Empty>Could not load rules: {describeFailure(rules.error)}</Empty>}>
          <Show when={settled(rules)} fallback={<Loading />}>
            {(list) => (
              <Show when={list().length} fallback={<Empty><span data-testid="rules-empty">No rules yet: alerts open no tickets by themselves.</span></Empty>}>
                <table class="table" data-testid="rules-table">
                  <thead>
                    <tr>
                      <th>Order</th>
                      <th>Enabled</th>
                      <th class="col-wide">Name</th>
                      <th>Matches</th>
                      <th>Dedup</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    <For each={list()}>
                      {(r, i) => (
                        <tr data-testid="rule-row">
                          <td class="nowrap">
                            {i() + 1}
                            <Show when={admin()}>
                              {' '}
                              <button type="button" class="btn btn-ghost btn-small" aria-label={`Move ${r.name} up`} disabled={i() === 0} onClick={() => void move(i(), -1)}>
                                ↑
                              </button>
                              <button type="button" class="btn btn-ghost btn-small" aria-label={`Move ${r.name} down`} disabled={i() === list().length - 1} onClick={() => void move(i(), 1)}>
                                ↓
                              </button>
                            </Show>
                          </td>
                          <td>
                            <input type="checkbox" aria-label={`Enable ${r.name}`} data-testid="rule-enabled" checked={r.enabled} disabled={!admin()} onChange={(e) => void toggle(r, e.currentTarget.checked)} />
                          </td>
                          <td>{r.name}</td>
                          <td class="small">{matchSummary(r)}</td>
                          <td class="nowrap">{r.dedupMinutes ? `${r.dedupMinutes} min` : 'off'}</td>
                          <td class="nowrap">
                            <Show when={admin()}>
                              <button type="button" class="btn btn-small" onClick={() => setEditing(r)}>
                                Edit
                              </button>{' '}
                              <button type="button" class="btn btn-ghost btn-small" onClick={() => void remove(r)}>
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
    </div>
  );
}
