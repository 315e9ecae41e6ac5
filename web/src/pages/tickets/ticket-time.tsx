import { createSignal, For, Show, type JSX } from 'solid-js';
import { api, call } from '../../api/client';
import { ApiFailure } from '../../api/errors';
import { createAction } from '../../lib/action';
import { formatDateTime } from '../../lib/format';
import { can, me } from '../../state/session';
import { toastError } from '../../state/toasts';
import type { TicketDetail } from '../../state/tickets';
import { FieldError, FormError } from '../../components/feedback';
import { fromLocalInput, toLocalInput } from '../maintenance/schedule';

export function hoursAndMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min`;
}

/** The last minute of today, local: work is logged for today or earlier, never for tomorrow. */
function endOfToday(): number {
  const d = new Date();
  d.setHours(23, 59, 59, 999);
  return d.getTime();
}

/** Time worked, billable or not, with the totals a bill is made from. */
export function TicketTime(props: { ticketId: string; detail: TicketDetail; who: (id: string | null) => string; onChanged: () => void }): JSX.Element {
  const [minutes, setMinutes] = createSignal('');
  const [billable, setBillable] = createSignal(true);
  const [note, setNote] = createSignal('');
  // Untouched, the field shows when the form opened but the server stamps the moment of saving.
  const [workedAt, setWorkedAt] = createSignal(toLocalInput(Date.now()));
  const [workedAtSet, setWorkedAtSet] = createSignal(false);
  const add = createAction(async () => {
    const issues: { path: string; message: string }[] = [];
    const n = Number(minutes());
    if (!Number.isInteger(n) || n < 1 || n > 1440) issues.push({ path: 'minutes', message: '1 to 1440 whole minutes' });
    const at = workedAtSet() ? fromLocalInput(workedAt()) : null;
    if (workedAtSet() && at === null) issues.push({ path: 'workedAt', message: 'a date and time' });
    if (at !== null && at > endOfToday()) issues.push({ path: 'workedAt', message: 'today or earlier' });
    if (issues.length) throw new ApiFailure(400, 'validation_failed', 'check the highlighted fields', issues);
    const json = { minutes: n, billable: billable(), note: note(), ...(at !== null ? { workedAt: at } : {}) };
    await call(api.tickets[':id']['time-entries'].$post({ param: { id: props.ticketId }, json }));
    setMinutes('');
    setNote('');
    setWorkedAt(toLocalInput(Date.now()));
    setWorkedAtSet(false);
    props.onChanged();
  });
  const remove = async (entryId: string) => {
    try {
      await call(api.tickets[':id']['time-entries'][':entryId'].$delete({ param: { id: props.ticketId, entryId } }));
      props.onChanged();
    } catch (err) {
      toastError(err);
    }
  };
  const mayRemove = (userId: string) => can('admin') || (can('technician') && userId === me()?.user.id);

  return (
    <section class="panel" aria-label="Time entries">
      <div class="panel-head">
        <h2>Time</h2>
        <span class="spacer" />
        <span class="small" data-testid="time-totals">
          <strong data-testid="time-billable">{hoursAndMinutes(props.detail.timeTotals.billableMinutes)}</strong> billable ·{' '}
          <span data-testid="time-nonbillable">{hoursAndMinutes(props.detail.timeTotals.nonBillableMinutes)}</span> non-billable
        </span>
      </div>
      <table class="table" data-testid="time-table">
        <tbody>
          <For each={props.detail.timeEntries} fallback={<tr><td class="muted">No time logged.</td></tr>}>
            {(t) => (
              <tr data-testid="time-entry">
                <td class="nowrap">
                  <time dateTime={new Date(t.workedAt).toISOString()} data-testid="time-worked-at">
                    {formatDateTime(t.workedAt)}
                  </time>
                </td>
                <td class="nowrap">{props.who(t.userId)}</td>
                <td class="nowrap">{hoursAndMinutes(t.minutes)}</td>
                <td>{t.billable ? <span class="badge badge-ok">billable</span> : <span class="badge">non-billable</span>}</td>
                <td class="comment-body">{t.note}</td>
                <td>
                  <Show when={mayRemove(t.userId)}>
                    <button type="button" class="btn btn-ghost btn-small" aria-label="Remove time entry" onClick={() => void remove(t.id)}>
                      ✕
                    </button>
                  </Show>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={can('technician')}>
        <form
          class="row gap wrap"
          data-testid="time-form"
          onSubmit={(e) => {
            e.preventDefault();
            void add.run();
          }}
        >
          <label class="field">
            <span>Minutes</span>
            <input class="input input-num" inputMode="numeric" data-testid="time-minutes" value={minutes()} onInput={(e) => setMinutes(e.currentTarget.value)} />
            <FieldError failure={add.failure()} path="minutes" />
          </label>
          <label class="field">
            <span>Worked on</span>
            <input
              class="input"
              type="datetime-local"
              data-testid="time-worked-on"
              max={toLocalInput(endOfToday())}
              value={workedAt()}
              onInput={(e) => {
                setWorkedAt(e.currentTarget.value);
                setWorkedAtSet(true);
              }}
            />
            <FieldError failure={add.failure()} path="workedAt" />
          </label>
          <label class="check">
            <input type="checkbox" data-testid="time-billable-toggle" checked={billable()} onChange={(e) => setBillable(e.currentTarget.checked)} />
            Billable
          </label>
          <label class="field grow">
            <span>Note</span>
            <input class="input" data-testid="time-note" maxLength={2000} value={note()} onInput={(e) => setNote(e.currentTarget.value)} />
          </label>
          <button type="submit" class="btn" data-testid="time-add" disabled={add.pending() || !minutes().trim()}>
            Log time
          </button>
          <FormError failure={add.failure()} fields={['minutes', 'workedAt']} />
        </form>
      </Show>
    </section>
  );
}
