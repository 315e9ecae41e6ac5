import { useNavigate } from '@solidjs/router';
import type { JSX } from 'solid-js';
import type { ChangeKind } from '../../../../protocol/inventory';
import { createListPage } from '../../lib/list-page';
import { ListKeysHint, ListSearch } from '../../components/list-search';
import { ClientFilter } from '../../components/client-filter';
import { PagedListBody } from '../../components/paged-list-body';
import { ChangeKindSelect } from '../../components/change-parts';
import { dayBound } from '../device/changes-kinds';
import { fleetChangesCsvUrl, listFleetChanges, type ChangeRecord, type FleetChangesFilter } from './fleet-changes-data';
import { FleetChangesTable } from './fleet-changes-table';
import '../../styles/inventory.css';

type Params = { q?: string; kind?: string; clientId?: string; from?: string; to?: string };

/** The URL's filters as the API's: days become the first and last millisecond of local days. */
const toFilter = (s: Partial<Params>): FleetChangesFilter => ({
  kind: (s.kind || undefined) as ChangeKind | undefined,
  q: s.q || undefined,
  clientId: s.clientId || undefined,
  from: dayBound(s.from ?? '', false),
  to: dayBound(s.to ?? '', true),
});

/** What changed across the fleet, newest first, a day at a time; a row opens its device's changes. */
export default function FleetChangesPage(): JSX.Element {
  const navigate = useNavigate();
  const open = (c: ChangeRecord) => navigate(deviceChangesHref(c));
  const page = createListPage<ChangeRecord, Params, FleetChangesFilter>({ query: toFilter, fetchPage: listFleetChanges, open });
  const { search, patch, list } = page;
  const filtered = () => !!(search.q || search.kind || search.clientId || search.from || search.to);

  return (
    <div class="page">
      <div class="page-head">
        <h1>Changes</h1>
        <span class="muted">across the fleet</span>
        <span class="spacer" />
        <button type="button" class="btn" onClick={() => void list.reload()} disabled={list.loading()}>
          Refresh
        </button>
      </div>
      <section class="panel">
        <div class="panel-head toolbar wrap">
          <ListSearch ref={page.searchRef} value={page.draftQ()} onInput={page.setDraftQ} placeholder="Search what changed" label="Search changes" testId="fleet-changes-search" />
          <ChangeKindSelect value={(search.kind ?? '') as ChangeKind | ''} onChange={(kind) => patch({ kind })} testId="fleet-changes-kind" />
          <ClientFilter value={search.clientId} onChange={(clientId) => patch({ clientId })} testId="fleet-changes-client" />
          <label class="field-inline small">
            from <input class="input input-small" type="date" aria-label="From day" data-testid="fleet-changes-from" value={search.from ?? ''} onChange={(e) => patch({ from: e.currentTarget.value })} />
          </label>
          <label class="field-inline small">
            to <input class="input input-small" type="date" aria-label="To day" data-testid="fleet-changes-to" value={search.to ?? ''} onChange={(e) => patch({ to: e.currentTarget.value })} />
          </label>
          <span class="spacer" />
          <a class="btn btn-small" href={fleetChangesCsvUrl(toFilter(search))} download="" data-testid="fleet-changes-csv">
            CSV
          </a>
        </div>
        <PagedListBody list={list} noun="changes" moreTestId="fleet-changes-more" empty={<span data-testid="fleet-changes-empty">{filtered() ? 'No changes match.' : 'No changes recorded yet: each device\'s first inventory is its baseline.'}</span>}>
          <FleetChangesTable rows={list.items()} cursor={page.cursor()} bodyRef={page.bodyRef} open={open} href={deviceChangesHref} />
          <ListKeysHint />
        </PagedListBody>
      </section>
    </div>
  );
}

const deviceChangesHref = (c: ChangeRecord) => `/devices/${encodeURIComponent(c.deviceId)}/changes`;
