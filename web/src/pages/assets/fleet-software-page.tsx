import { useNavigate } from '@solidjs/router';
import { For, Show, type JSX } from 'solid-js';
import { createListPage } from '../../lib/list-page';
import { ListKeysHint, ListSearch } from '../../components/list-search';
import { ClientFilter } from '../../components/client-filter';
import { PagedListBody } from '../../components/paged-list-body';
import { fleetSoftwareCsvUrl, listFleetSoftware, type FleetSoftware } from './search-data';
import '../../styles/inventory.css';

type Params = { q?: string; clientId?: string };

/** The fleet's software by name: on how many devices, in which versions. Opening one searches for it. */
export default function FleetSoftwarePage(): JSX.Element {
  const navigate = useNavigate();
  const open = (r: FleetSoftware) => navigate(`/assets/search?software=${encodeURIComponent(r.name)}`);
  const page = createListPage<FleetSoftware, Params, Params>({
    query: (s) => ({ q: s.q || undefined, clientId: s.clientId || undefined }),
    fetchPage: (q, cursor) => listFleetSoftware(q, cursor),
    open,
  });
  const query = () => ({ q: page.search.q || undefined, clientId: page.search.clientId || undefined });

  return (
    <div class="page">
      <div class="page-head">
        <h1>Software</h1>
        <span class="muted">across the fleet</span>
      </div>
      <section class="panel">
        <div class="panel-head toolbar">
          <ListSearch ref={page.searchRef} value={page.draftQ()} onInput={page.setDraftQ} placeholder="Search software or publisher" label="Search software" testId="fleet-software-search" />
          <ClientFilter value={page.search.clientId} onChange={(clientId) => page.patch({ clientId })} testId="fleet-software-client" />
          <span class="spacer" />
          <a class="btn btn-small" href={fleetSoftwareCsvUrl(query())} download="" data-testid="fleet-software-csv">
            CSV
          </a>
        </div>
        <PagedListBody list={page.list} noun="software" moreTestId="fleet-software-more" empty={page.search.q ? 'No software matches.' : 'No software reported yet.'}>
          <table class="table table-click" data-testid="fleet-software">
            <thead>
              <tr>
                <th>Name</th>
                <th>Publisher</th>
                <th class="num">Devices</th>
                <th class="num">Versions</th>
                <th>Most installed versions</th>
              </tr>
            </thead>
            <tbody ref={page.bodyRef}>
              <For each={page.list.items()}>
                {(r, i) => (
                  <tr data-testid="fleet-software-row" data-index={i()} classList={{ 'is-cursor': page.cursor() === i() }} onClick={() => open(r)} title={`Find the devices with ${r.name}`}>
                    <td class="cell-strong">{r.name}</td>
                    <td class="ellipsis">{r.publisher ?? ''}</td>
                    <td class="num">{r.devices.toLocaleString()}</td>
                    <td class="num">{r.versions.toLocaleString()}</td>
                    <td>
                      <div class="row gap wrap">
                        <For each={r.topVersions}>
                          {(tv) => (
                            <span class="chip mono small" title={`${tv.devices} devices`}>
                              {tv.version} <span class="muted">×{tv.devices}</span>
                            </span>
                          )}
                        </For>
                        <Show when={r.versions > r.topVersions.length}>
                          <span class="muted small">+{r.versions - r.topVersions.length} more</span>
                        </Show>
                      </div>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
          <ListKeysHint />
        </PagedListBody>
      </section>
    </div>
  );
}
