import { A, useNavigate } from '@solidjs/router';
import { createSignal, For, Show, type JSX } from 'solid-js';
import { createListPage } from '../../lib/list-page';
import { queryString } from '../../lib/query';
import { can } from '../../state/session';
import { EndDate } from '../../components/days-left';
import { ClientFilter } from '../../components/client-filter';
import { PagedListBody } from '../../components/paged-list-body';
import { ListKeysHint, ListSearch } from '../../components/list-search';
import { listWarranties, WARRANTY_STATES, warrantiesCsvHref, type WarrantyItem, type WarrantyState } from './warranty-data';
import { WarrantyImport } from './warranty-import';
import { WarrantyProviders } from './warranty-providers';

type Params = { q?: string; client?: string; state?: string };

const asState = (s: string | undefined): WarrantyState | undefined => WARRANTY_STATES.find((x) => x.value === s)?.value || undefined;

/** Every device's warranty coverage, filtered by state and client; a row opens the device. */
export default function WarrantiesPage(): JSX.Element {
  const navigate = useNavigate();
  const [importing, setImporting] = createSignal(false);
  const open = (w: WarrantyItem) => navigate(`/devices/${w.deviceId}`);
  const page = createListPage({
    query: (search: Params) => ({ q: search.q, clientId: search.client, state: asState(search.state) }),
    fetchPage: listWarranties,
    open,
  });
  const { search, patch, list, cursor } = page;
  /** Each state is an address of its own (the other filters kept), so a view can be shared. */
  const tabHref = (state: string) => `/warranties${queryString({ q: search.q, client: search.client, state })}`;

  return (
    <div class="page">
      <div class="page-head">
        <h1>Warranties</h1>
        <span class="spacer" />
        <a class="btn" href={warrantiesCsvHref({ q: search.q, clientId: search.client, state: asState(search.state) })} download="" data-testid="warranties-csv">
          CSV
        </a>
        <button type="button" class="btn" onClick={() => void list.reload()} disabled={list.loading()}>
          Refresh
        </button>
        <Show when={can('technician')}>
          <button type="button" class="btn btn-primary" data-testid="warranty-import-open" onClick={() => setImporting(true)}>
            Import CSV
          </button>
        </Show>
      </div>
      <WarrantyImport open={importing()} onClose={() => setImporting(false)} onImported={() => void list.reload()} />
      <nav class="tabs" aria-label="Warranty state">
        <For each={WARRANTY_STATES}>
          {(s) => (
            <A
              href={tabHref(s.value)}
              class="tab"
              classList={{ 'is-active': (asState(search.state) ?? '') === s.value }}
              aria-current={(asState(search.state) ?? '') === s.value ? 'page' : undefined}
              data-testid={`warranty-tab-${s.value || 'all'}`}
              // The router's own matching ignores the query, so it would light every tab.
              activeClass=""
              inactiveClass=""
            >
              {s.label}
            </A>
          )}
        </For>
      </nav>
      <div class="toolbar">
        <ListSearch ref={page.searchRef} value={page.draftQ()} onInput={page.setDraftQ} placeholder="Search device, serial or model" label="Search warranties" testId="warranty-search" />
        <ClientFilter value={search.client} onChange={(client) => patch({ client })} testId="warranty-filter-client" anyLabel="Any client" />
      </div>
      <section class="panel">
        <PagedListBody list={list} noun="warranties" moreTestId="warranties-more" empty={<span data-testid="warranties-empty">No devices in this view.</span>}>
          <table class="table table-click" data-testid="warranties-table">
            <thead>
              <tr>
                <th class="col-wide">Device</th>
                <th>Client</th>
                <th>Model</th>
                <th>Serial</th>
                <th>Source</th>
                <th>Coverage ends</th>
              </tr>
            </thead>
            <tbody ref={page.bodyRef}>
              <For each={list.items()}>
                {(w, i) => (
                  <tr data-index={i()} data-testid="warranty-row" data-device-id={w.deviceId} classList={{ 'is-selected': cursor() === i() }} onClick={() => open(w)}>
                    <td>
                      <A href={`/devices/${w.deviceId}`} class="row-link mono">
                        {w.hostname}
                      </A>
                    </td>
                    <td>{w.clientName}</td>
                    <td class="small">{[w.manufacturer, w.model].filter(Boolean).join(' ')}</td>
                    <td class="mono small">{w.serial ?? ''}</td>
                    <td class="small">{w.source ? `${w.source}${w.vendor && w.vendor.toLowerCase() !== w.source ? ` · ${w.vendor}` : ''}` : ''}</td>
                    <td>
                      <EndDate end={w.end} daysLeft={w.daysLeft} none="no warranty" testId="warranty-end" />
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </PagedListBody>
      </section>
      <ListKeysHint />
      <Show when={can('admin')}>
        <WarrantyProviders />
      </Show>
    </div>
  );
}
