import { createResource, createSignal, Show, type JSX } from 'solid-js';
import { settled } from '../../lib/resource';
import { api, call } from '../../api/client';
import { createAction } from '../../lib/action';
import { loadClients } from '../../state/directory';
import { showToast } from '../../state/toasts';
import { FormError } from '../../components/feedback';
import { SitePicker, type SiteChoice } from '../../components/site-picker';
import type { DeviceDetail } from './device-types';

/** Move the device to a site of any client the user may see; a refusal shows in place. */
export function DeviceMove(props: { device: DeviceDetail; onMoved: (d: DeviceDetail) => void }): JSX.Element {
  const [open, setOpen] = createSignal(false);
  // Clients load on first use: most visits to a device never move it.
  const [clients] = createResource(() => open() || false, () => loadClients());
  const current = (): SiteChoice => ({ clientId: props.device.clientId, siteId: props.device.siteId });
  const [place, setPlace] = createSignal<SiteChoice>(current());

  const move = createAction(async () => {
    const res = await call(api.devices[':id'].$patch({ param: { id: props.device.id }, json: { siteId: place().siteId } }));
    props.onMoved(res.device);
    setOpen(false);
    showToast(`Moved to ${res.device.clientName ?? res.device.clientId} / ${res.device.siteName ?? res.device.siteId}`);
  });

  const start = () => {
    setPlace(current());
    move.clear();
    setOpen(true);
  };

  return (
    <Show
      when={open()}
      fallback={
        <div class="row gap">
          <span class="muted">
            At {props.device.clientName ?? props.device.clientId} / {props.device.siteName ?? props.device.siteId}
          </span>
          <button type="button" class="btn btn-small" data-testid="move-device" onClick={start}>
            Move…
          </button>
        </div>
      }
    >
      <form
        class="form form-row"
        // The button that opened the form is gone: keep the keyboard in the form.
        ref={(el) => queueMicrotask(() => el.querySelector('select')?.focus())}
        onSubmit={(e) => {
          e.preventDefault();
          void move.run();
        }}
        onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
      >
        <SitePicker clients={settled(clients) ?? []} value={place()} onChange={setPlace} failure={move.failure()} testId="move" disabled={move.pending()} />
        <div class="form-actions">
          <button
            type="submit"
            class="btn btn-primary"
            data-testid="move-submit"
            disabled={!place().siteId || place().siteId === props.device.siteId || move.pending()}
          >
            Move here
          </button>
          <button type="button" class="btn btn-ghost" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </div>
      </form>
      <FormError failure={move.failure()} fields={['siteId']} />
    </Show>
  );
}
