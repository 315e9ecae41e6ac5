import { A } from '@solidjs/router';
import { createSignal, For, Show, type JSX } from 'solid-js';
import { now } from '../../lib/clock';
import { createSearchDraft } from '../../lib/search-draft';
import { formatDateTime, relativeTime } from '../../lib/format';
import { listDevices } from '../../state/portal';
import { PagedListBody } from '../../components/paged-list-body';
import { StatusDot } from '../../components/status-dot';
import { createPolledList } from './polled-list';

const PAGE_SIZE = 50;

/**
 * The client's devices, read-only: whether each is up and whether support has open alerts
 * on it. Names and OS strings are agent-reported: text nodes only.
 */
export default function PortalDevicesPage(): JSX.Element {
  const [q, setQ] = createSignal('');
  const [draftQ, setDraftQ] = createSearchDraft('', setQ);

  const list = createPolledList(q, listDevices, PAGE_SIZE);

  return (
    <div class="page portal-page">
      <div class="page-head">
        <h1>Devices</h1>
        <span class="spacer" />
        <input
          class="input search"
          type="search"
          placeholder="Search devices"
          aria-label="Search devices"
          data-testid="portal-device-search"
          value={draftQ()}
          onInput={(e) => setDraftQ(e.currentTarget.value)}
        />
      </div>
      <section class="panel">
        <PagedListBody list={list} noun="devices" moreTestId="portal-devices-more" empty={<span data-testid="portal-devices-empty">{q() ? 'No device matches.' : 'No devices yet.'}</span>}>
          <table class="table portal-table" data-testid="portal-devices-table" aria-label="Devices">
            <thead>
              <tr>
                <th>Status</th>
                <th>Name</th>
                <th>Operating system</th>
                <th>Site</th>
                <th>Last seen</th>
                <th class="num">Open alerts</th>
                <th />
              </tr>
            </thead>
            <tbody>
              <For each={list.items()}>
                {(d) => (
                  <tr data-testid="portal-device-row" data-device-id={d.id}>
                    <td>
                      <StatusDot status={d.status} testId="portal-device-status" />
                    </td>
                    <td class="ellipsis" data-testid="portal-device-name" title={d.name}>
                      {d.name}
                    </td>
                    <td class="ellipsis">{d.os ?? '—'}</td>
                    <td class="nowrap">{d.siteName ?? '—'}</td>
                    <td class="nowrap" title={formatDateTime(d.lastSeenAt)}>
                      {relativeTime(d.lastSeenAt, now())}
                    </td>
                    <td class="num" data-testid="portal-device-alerts">
                      <Show when={d.openAlerts > 0} fallback={<span class="muted">0</span>}>
                        <span class="badge badge-warn">{d.openAlerts}</span>
                      </Show>
                    </td>
                    <td class="actions">
                      <A href={`/portal/new?device=${encodeURIComponent(d.id)}`} class="btn-link">
                        Report a problem
                      </A>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </PagedListBody>
      </section>
    </div>
  );
}
