import { A } from '@solidjs/router';
import { createSignal, For, Show, type JSX } from 'solid-js';
import { now } from '../../lib/clock';
import { relativeTime } from '../../lib/format';
import { describeFailure } from '../../api/errors';
import { Empty, Loading } from '../../components/feedback';
import { AlertStatusBadge, SeverityBadge } from '../../components/severity';
import { createAlertList } from '../alerts/alert-list';
import { DEFAULT_FILTER } from '../alerts/alert-filter';

const SHOWN = 8;

/** The newest active alerts, joining live as they open. */
export function RecentAlerts(): JSX.Element {
  const [filter] = createSignal(DEFAULT_FILTER);
  const list = createAlertList(filter, SHOWN);
  return (
    <section class="panel">
      <div class="panel-head">
        <h2>Latest active alerts</h2>
        <span class="spacer" />
        <A href="/alerts">All alerts →</A>
      </div>
      <Show when={!list.failure()} fallback={<Empty>Could not load alerts: {describeFailure(list.failure())}</Empty>}>
        <Show when={list.loaded()} fallback={<Loading />}>
          <Show when={list.items().length} fallback={<Empty>No active alerts. All quiet.</Empty>}>
            <table class="table table-click" data-testid="recent-alerts">
              <tbody>
                <For each={list.items().slice(0, SHOWN)}>
                  {(a) => (
                    <tr>
                      <td>
                        <SeverityBadge severity={a.severity} />
                      </td>
                      <td>
                        <AlertStatusBadge status={a.status} />
                      </td>
                      <td class="nowrap">
                        <A href={`/devices/${a.deviceId}`}>{a.hostname ?? a.deviceId}</A>
                      </td>
                      <td class="ellipsis col-wide" title={a.message}>
                        <A href={`/alerts/${a.id}`}>{a.checkName}</A> <span class="muted">{a.message}</span>
                      </td>
                      <td class="nowrap muted">{relativeTime(a.openedAt, now())}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        </Show>
      </Show>
    </section>
  );
}
