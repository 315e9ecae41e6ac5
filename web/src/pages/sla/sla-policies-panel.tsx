import { createSignal, For, Show, type JSX } from 'solid-js';
import { api, call } from '../../api/client';
import { describeFailure } from '../../api/errors';
import type { Client } from '../../state/directory';
import { can } from '../../state/session';
import { showToast } from '../../state/toasts';
import { deleteConfirmed } from '../../lib/delete-confirmed';
import { Empty, Loading } from '../../components/feedback';
import { RowActions } from '../../components/row-actions';
import { hoursAndMinutes } from '../tickets/ticket-time';
import { SlaPolicyForm } from './sla-policy-form';
import { PRIORITIES } from '../../state/tickets';
import type { BusinessCalendar, SlaPolicy } from './sla-data';

function targetsSummary(p: SlaPolicy): string {
  const parts = PRIORITIES.flatMap((prio) => {
    const t = p.targets[prio];
    return t ? [`${prio}: ${hoursAndMinutes(t.firstResponseMinutes)} / ${hoursAndMinutes(t.resolutionMinutes)}`] : [];
  });
  return parts.length ? parts.join(' · ') : 'no targets';
}

/** SLA policies: the tenant default and one per client, with their targets. */
export function SlaPoliciesPanel(props: {
  policies: SlaPolicy[] | undefined;
  error: unknown;
  calendars: BusinessCalendar[];
  clients: Client[];
  onChanged: () => void;
}): JSX.Element {
  const [editing, setEditing] = createSignal<SlaPolicy | 'new' | null>(null);
  const admin = () => can('admin');
  const clientName = (id: string | null) => (id === null ? 'Tenant default' : (props.clients.find((c) => c.id === id)?.name ?? id));
  const calendarName = (id: string | null) => (id === null ? 'Round the clock' : (props.calendars.find((c) => c.id === id)?.name ?? id));

  const remove = (p: SlaPolicy) =>
    deleteConfirmed(
      `Delete the SLA policy “${p.name}”? Tickets keep the due times they were given.`,
      () => call(api['sla-policies'][':id'].$delete({ param: { id: p.id } })),
      'SLA policy deleted',
      props.onChanged,
    );

  return (
    <section class="panel" aria-label="SLA policies">
      <div class="panel-head">
        <h2>SLA policies</h2>
        <span class="muted small">First response and resolution targets by priority; a client’s own policy wins over the default.</span>
        <span class="spacer" />
        <Show when={admin() && !editing()}>
          <button type="button" class="btn btn-primary btn-small" data-testid="new-sla-policy" onClick={() => setEditing('new')}>
            New policy
          </button>
        </Show>
      </div>
      <Show when={editing()} keyed>
        {(e) => (
          <SlaPolicyForm
            initial={e === 'new' ? null : e}
            clients={props.clients}
            calendars={props.calendars}
            onCancel={() => setEditing(null)}
            onSaved={() => {
              setEditing(null);
              showToast('SLA policy saved');
              props.onChanged();
            }}
          />
        )}
      </Show>
      <Show when={!props.error} fallback={<Empty>Could not load SLA policies: {describeFailure(props.error)}</Empty>}>
        <Show when={props.policies} fallback={<Loading />}>
          {(list) => (
            <Show when={list().length} fallback={<Empty><span data-testid="sla-policies-empty">No SLA policies: tickets get no due times.</span></Empty>}>
              <table class="table" data-testid="sla-policies-table">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Applies to</th>
                    <th>Clock</th>
                    <th class="col-wide">Targets (first response / resolution)</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  <For each={list()}>
                    {(p) => (
                      <tr data-testid="sla-policy-row" data-policy-id={p.id}>
                        <td>{p.name}</td>
                        <td>{clientName(p.clientId)}</td>
                        <td>{calendarName(p.calendarId)}</td>
                        <td class="small" data-testid="sla-policy-targets">{targetsSummary(p)}</td>
                        <td class="nowrap">
                          <Show when={admin()}>
                            <RowActions what={`SLA policy ${p.name}`} onEdit={() => setEditing(p)} onDelete={() => void remove(p)} />
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
