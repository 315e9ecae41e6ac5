import { A, useNavigate } from '@solidjs/router';
import { createSignal, Show, type JSX } from 'solid-js';
import { api } from '../../api/client';
import { ApiFailure, describeFailure } from '../../api/errors';
import { can } from '../../state/session';
import { showToast } from '../../state/toasts';

/**
 * "Create ticket" for one alert, or a link to the ticket it already has. A 409 means
 * someone (or a rule) opened one meanwhile: its id comes with the answer, so we go there.
 */
export function AlertTicketButton(props: { alertId: string; ticketId: string | null | undefined }): JSX.Element {
  const navigate = useNavigate();
  const [busy, setBusy] = createSignal(false);
  const create = async () => {
    setBusy(true);
    try {
      const res = await api.alerts[':id'].ticket.$post({ param: { id: props.alertId } });
      if (res.status === 201 || res.status === 409) {
        const body = (await res.json()) as { id?: string; ticketId?: string };
        const id = res.status === 201 ? body.id : body.ticketId;
        if (res.status === 409) showToast('This alert already has a ticket');
        if (id) navigate(`/tickets/${id}`);
        return;
      }
      throw await ApiFailure.fromResponse(res as unknown as Response);
    } catch (err) {
      showToast(`Could not create the ticket: ${describeFailure(err)}`, 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Show
      when={props.ticketId}
      fallback={
        <Show when={can('technician')}>
          <button type="button" class="btn" data-testid="alert-create-ticket" disabled={busy()} onClick={() => void create()}>
            {busy() ? 'Creating…' : 'Create ticket'}
          </button>
        </Show>
      }
    >
      {(id) => (
        <A href={`/tickets/${id()}`} class="btn" data-testid="alert-ticket-link">
          Open ticket
        </A>
      )}
    </Show>
  );
}
