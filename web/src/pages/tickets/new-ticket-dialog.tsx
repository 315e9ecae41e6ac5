import { createSignal, For, type JSX } from 'solid-js';
import { api, call } from '../../api/client';
import { createAction } from '../../lib/action';
import type { Client } from '../../state/directory';
import { deviceById } from '../../state/devices';
import { PRIORITIES, type Ticket, type TicketPriority } from '../../state/tickets';
import { Dialog } from '../../components/dialog';
import { DevicePick } from '../../components/device-pick';
import { FieldError, FormError } from '../../components/feedback';

const FIELDS = ['clientId', 'deviceId', 'title', 'description', 'priority'];

/** Open a ticket by hand. Picking a device sets its client (a device belongs to one). */
export function NewTicketDialog(props: { open: boolean; clients: Client[]; onClose: () => void; onCreated: (t: Ticket) => void }): JSX.Element {
  return (
    <Dialog open={props.open} title="New ticket" onClose={props.onClose} testId="new-ticket-dialog">
      <NewTicketForm clients={props.clients} onClose={props.onClose} onCreated={props.onCreated} />
    </Dialog>
  );
}

function NewTicketForm(props: { clients: Client[]; onClose: () => void; onCreated: (t: Ticket) => void }): JSX.Element {
  const [clientId, setClientId] = createSignal(props.clients.length === 1 ? props.clients[0]!.id : '');
  const [deviceId, setDeviceId] = createSignal('');
  const [title, setTitle] = createSignal('');
  const [description, setDescription] = createSignal('');
  const [priority, setPriority] = createSignal<TicketPriority>('normal');

  const save = createAction(async () => {
    const created = await call(
      api.tickets.$post({
        json: { clientId: clientId(), deviceId: deviceId() || null, title: title(), description: description(), priority: priority() },
      }),
    );
    props.onCreated(created);
  });

  const pickDevice = (id: string) => {
    setDeviceId(id);
    const d = id ? deviceById(id) : undefined;
    if (d) setClientId(d.clientId);
  };

  return (
    <form
      class="form"
      data-testid="new-ticket-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save.run();
      }}
    >
      <label class="field">
        <span>Client</span>
        <select class="input select" data-testid="new-ticket-client" value={clientId()} onChange={(e) => setClientId(e.currentTarget.value)}>
          <option value="">Choose a client…</option>
          <For each={props.clients}>
            {(c) => (
              <option value={c.id} selected={c.id === clientId()}>
                {c.name}
              </option>
            )}
          </For>
        </select>
        <FieldError failure={save.failure()} path="clientId" />
      </label>
      <div class="field">
        <span>Device (optional)</span>
        <DevicePick value={deviceId()} onChange={pickDevice} testId="new-ticket-device" />
        <FieldError failure={save.failure()} path="deviceId" />
      </div>
      <label class="field">
        <span>Title</span>
        <input class="input" data-testid="new-ticket-title" maxLength={200} value={title()} onInput={(e) => setTitle(e.currentTarget.value)} ref={(el) => queueMicrotask(() => el.focus())} />
        <FieldError failure={save.failure()} path="title" />
      </label>
      <label class="field">
        <span>Description</span>
        <textarea class="input" rows={5} data-testid="new-ticket-description" value={description()} onInput={(e) => setDescription(e.currentTarget.value)} />
        <FieldError failure={save.failure()} path="description" />
      </label>
      <label class="field">
        <span>Priority</span>
        <select class="input select" data-testid="new-ticket-priority" value={priority()} onChange={(e) => setPriority(e.currentTarget.value as TicketPriority)}>
          <For each={PRIORITIES}>{(p) => <option value={p} selected={p === priority()}>{p}</option>}</For>
        </select>
      </label>
      <FormError failure={save.failure()} fields={FIELDS} />
      <div class="dialog-actions">
        <button type="button" class="btn" onClick={() => props.onClose()}>
          Cancel
        </button>
        <button type="submit" class="btn btn-primary" data-testid="new-ticket-save" disabled={save.pending() || !clientId() || !title().trim()}>
          {save.pending() ? 'Creating…' : 'Create ticket'}
        </button>
      </div>
    </form>
  );
}
