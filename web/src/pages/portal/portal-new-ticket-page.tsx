import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { fetchAll } from '../../api/client';
import { createAction } from '../../lib/action';
import { settled } from '../../lib/resource';
import { createTicket, listDevices, PORTAL_PRIORITIES, type PortalPriority } from '../../state/portal';
import { FieldError, FormError } from '../../components/feedback';

const FIELDS = ['title', 'description', 'priority', 'deviceId'];
const PRIORITY_HINT: Record<PortalPriority, string> = {
  low: 'low: whenever convenient',
  normal: 'normal: affects my work',
  high: 'high: I cannot work',
};

/**
 * Tell support about a problem. `?device=` preselects a device (the devices page links here).
 * Empty fields go to the server as they are: its messages appear under the fields they name.
 */
export default function PortalNewTicketPage(): JSX.Element {
  const [search] = useSearchParams<{ device?: string }>();
  const navigate = useNavigate();
  const [title, setTitle] = createSignal('');
  const [description, setDescription] = createSignal('');
  const [priority, setPriority] = createSignal<PortalPriority>('normal');
  const [deviceId, setDeviceId] = createSignal(search.device ?? '');
  const [devices] = createResource(() => fetchAll((cursor) => listDevices('', 200, cursor)));

  const save = createAction(async () => {
    const t = await createTicket({ title: title(), description: description(), priority: priority(), deviceId: deviceId() || null });
    navigate(`/portal/tickets/${t.id}`);
  });

  return (
    <div class="page portal-page portal-narrow">
      <div class="page-head">
        <A href="/portal" class="btn btn-ghost btn-small">
          ← My tickets
        </A>
        <h1>New ticket</h1>
      </div>
      <form
        class="form panel"
        novalidate
        data-testid="portal-new-ticket-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}
      >
        <label class="field">
          <span>Title</span>
          <input class="input" data-testid="portal-new-title" maxLength={200} placeholder="What is wrong, in a few words" value={title()} onInput={(e) => setTitle(e.currentTarget.value)} ref={(el) => queueMicrotask(() => el.focus())} />
          <FieldError failure={save.failure()} path="title" />
        </label>
        <label class="field">
          <span>Description</span>
          <textarea
            class="input"
            rows={7}
            data-testid="portal-new-description"
            placeholder="What happened, since when, and what you already tried"
            value={description()}
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
          <FieldError failure={save.failure()} path="description" />
        </label>
        <div class="form form-row">
          <label class="field grow">
            <span>Priority</span>
            <select class="input select" data-testid="portal-new-priority" onChange={(e) => setPriority(e.currentTarget.value as PortalPriority)}>
              <For each={PORTAL_PRIORITIES}>{(p) => <option value={p} selected={p === priority()}>{PRIORITY_HINT[p]}</option>}</For>
            </select>
            <FieldError failure={save.failure()} path="priority" />
          </label>
          <label class="field grow">
            <span>Device (optional)</span>
            <select class="input select" data-testid="portal-new-device" disabled={!settled(devices)} onChange={(e) => setDeviceId(e.currentTarget.value)}>
              <option value="">{settled(devices) ? 'Not about one device' : devices.error ? 'Devices could not be loaded' : 'Loading devices…'}</option>
              <For each={settled(devices) ?? []}>{(d) => <option value={d.id} selected={d.id === deviceId()}>{d.siteName ? `${d.name} (${d.siteName})` : d.name}</option>}</For>
            </select>
            <FieldError failure={save.failure()} path="deviceId" />
          </label>
        </div>
        <FormError failure={save.failure()} fields={FIELDS} />
        <div class="row gap">
          <span class="spacer" />
          <Show when={save.pending()}>
            <span class="muted">Sending…</span>
          </Show>
          <button type="submit" class="btn btn-primary" data-testid="portal-new-submit" disabled={save.pending()}>
            Open ticket
          </button>
        </div>
      </form>
    </div>
  );
}
