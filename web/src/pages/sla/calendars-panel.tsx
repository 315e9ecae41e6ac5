import { createSignal, For, Show, type JSX } from 'solid-js';
import { api, call } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { can } from '../../state/session';
import { showToast } from '../../state/toasts';
import { deleteConfirmed } from '../../lib/delete-confirmed';
import { Empty, Loading } from '../../components/feedback';
import { RowActions } from '../../components/row-actions';
import { CalendarForm } from './calendar-form';
import { describeWeek } from './hours';
import type { BusinessCalendar } from './sla-data';

/** Business calendars: when SLA clocks run. A calendar a policy uses cannot be deleted (the server says which). */
export function CalendarsPanel(props: { calendars: BusinessCalendar[] | undefined; error: unknown; onChanged: () => void }): JSX.Element {
  const [editing, setEditing] = createSignal<BusinessCalendar | 'new' | null>(null);
  const admin = () => can('admin');

  const remove = (c: BusinessCalendar) =>
    deleteConfirmed(`Delete the calendar “${c.name}”?`, () => call(api['business-calendars'][':id'].$delete({ param: { id: c.id } })), 'Calendar deleted', props.onChanged);

  return (
    <section class="panel" aria-label="Business calendars">
      <div class="panel-head">
        <h2>Business calendars</h2>
        <span class="muted small">Working hours and holidays the SLA clocks count in.</span>
        <span class="spacer" />
        <Show when={admin() && !editing()}>
          <button type="button" class="btn btn-primary btn-small" data-testid="new-calendar" onClick={() => setEditing('new')}>
            New calendar
          </button>
        </Show>
      </div>
      <Show when={editing()} keyed>
        {(e) => (
          <CalendarForm
            initial={e === 'new' ? null : e}
            onCancel={() => setEditing(null)}
            onSaved={() => {
              setEditing(null);
              showToast('Calendar saved');
              props.onChanged();
            }}
          />
        )}
      </Show>
      <Show when={!props.error} fallback={<Empty>Could not load calendars: {describeFailure(props.error)}</Empty>}>
        <Show when={props.calendars} fallback={<Loading />}>
          {(list) => (
            <Show when={list().length} fallback={<Empty><span data-testid="calendars-empty">No calendars: every SLA clock runs round the clock.</span></Empty>}>
              <table class="table" data-testid="calendars-table">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Time zone</th>
                    <th class="col-wide">Hours</th>
                    <th>Holidays</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  <For each={list()}>
                    {(c) => (
                      <tr data-testid="calendar-row" data-calendar-id={c.id}>
                        <td>{c.name}</td>
                        <td class="nowrap">{c.timezone}</td>
                        <td class="small" data-testid="calendar-hours-summary">{describeWeek(c.hours)}</td>
                        <td class="small" title={c.holidays.join(', ')}>
                          {c.holidays.length}
                        </td>
                        <td class="nowrap">
                          <Show when={admin()}>
                            <RowActions what={`calendar ${c.name}`} deleteTestId="calendar-delete" onEdit={() => setEditing(c)} onDelete={() => void remove(c)} />
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
