import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { api, call } from '../../api/client';
import { describeFailure } from '../../api/errors';
import { formatDateTimeSeconds } from '../../lib/format';
import { settled } from '../../lib/resource';
import { toastError } from '../../state/toasts';
import { Empty, Loading } from '../../components/feedback';
import type { DeliveryStatus, DeliverySummary } from '../../../../protocol/api/integrations';

const TONE: Record<DeliveryStatus, string> = { pending: 'info', delivered: 'ok', failed: 'warn', dead: 'bad' };

export function DeliveryStatusBadge(props: { status: DeliveryStatus; testId?: string }): JSX.Element {
  return (
    <span class={`badge badge-${TONE[props.status]}`} data-testid={props.testId}>
      {props.status}
    </span>
  );
}

/** What was sent to one integration, newest first, with a manual redeliver. */
export function DeliveryLog(props: { integrationId: string; name: string; version: number; onClose: () => void }): JSX.Element {
  const [more, setMore] = createSignal<DeliverySummary[]>([]);
  const [cursor, setCursor] = createSignal<string | null>(null);
  const [page, { refetch }] = createResource(
    () => ({ id: props.integrationId, v: props.version }),
    async ({ id }) => {
      const p = await call(api.integrations[':id'].deliveries.$get({ param: { id }, query: { limit: '50' } }));
      setMore([]);
      setCursor(p.nextCursor);
      return p.items;
    },
  );
  const loadMore = async () => {
    const c = cursor();
    if (!c) return;
    try {
      const p = await call(api.integrations[':id'].deliveries.$get({ param: { id: props.integrationId }, query: { limit: '50', cursor: c } }));
      setMore((m) => [...m, ...p.items]);
      setCursor(p.nextCursor);
    } catch (err) {
      toastError(err);
    }
  };
  const [busy, setBusy] = createSignal<string | null>(null);
  const redeliver = async (id: string) => {
    setBusy(id);
    try {
      await call(api.deliveries[':id'].redeliver.$post({ param: { id } }));
    } catch (err) {
      toastError(err);
    } finally {
      setBusy(null);
      void refetch();
    }
  };

  return (
    <section class="panel" aria-label="Delivery log" data-testid="delivery-log">
      <div class="panel-head">
        <h2>Deliveries · {props.name}</h2>
        <span class="spacer" />
        <button type="button" class="btn btn-small" onClick={() => void refetch()}>
          Refresh
        </button>
        <button type="button" class="btn btn-ghost btn-small" aria-label="Close the delivery log" onClick={() => props.onClose()}>
          ✕
        </button>
      </div>
      <Show when={!page.error} fallback={<Empty>Could not load deliveries: {describeFailure(page.error)}</Empty>}>
        <Show when={settled(page)} fallback={<Loading />}>
          {(first) => (
            <Show when={first().length} fallback={<Empty>Nothing sent yet.</Empty>}>
              <table class="table" data-testid="deliveries-table">
                <thead>
                  <tr>
                    <th>When</th>
                    <th>Event</th>
                    <th>Status</th>
                    <th>Attempts</th>
                    <th>HTTP</th>
                    <th class="col-wide">Error</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  <For each={[...first(), ...more()]}>
                    {(d) => (
                      <tr data-testid="delivery-row">
                        <td class="nowrap">{formatDateTimeSeconds(d.createdAt)}</td>
                        <td class="nowrap mono">{d.event}</td>
                        <td>
                          <DeliveryStatusBadge status={d.status} testId="delivery-status" />
                        </td>
                        <td>{d.attempts}</td>
                        <td data-testid="delivery-code">{d.lastStatusCode ?? '—'}</td>
                        <td class="ellipsis" title={d.lastError ?? ''}>
                          {d.lastError ?? ''}
                        </td>
                        <td>
                          <button type="button" class="btn btn-small" data-testid="redeliver" disabled={busy() === d.id} onClick={() => void redeliver(d.id)}>
                            Redeliver
                          </button>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
              <Show when={cursor()}>
                <button type="button" class="btn" onClick={() => void loadMore()}>
                  Load more
                </button>
              </Show>
            </Show>
          )}
        </Show>
      </Show>
    </section>
  );
}
