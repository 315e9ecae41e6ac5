import { A, useNavigate, useParams } from '@solidjs/router';
import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { describeFailure } from '../../api/errors';
import { createListPage } from '../../lib/list-page';
import { deleteConfirmed } from '../../lib/delete-confirmed';
import { settled } from '../../lib/resource';
import { can } from '../../state/session';
import { showToast } from '../../state/toasts';
import { EndDate } from '../../components/days-left';
import { Empty, Loading } from '../../components/feedback';
import { ClientFilter } from '../../components/client-filter';
import { PagedListBody } from '../../components/paged-list-body';
import { ListKeysHint, ListSearch } from '../../components/list-search';
import { ComplianceBadge, SeatUse } from './licence-compliance';
import { deleteLicence, licencesCsvHref, listLicences, loadLicence, type Licence } from './licence-data';
import { LicenceDetail } from './licence-detail';
import { LicenceForm } from './licence-form';
import '../../styles/automation.css';

type Params = { q?: string; client?: string };

/** Software licences with their seat compliance; a row opens its detail beside the list. */
export default function LicencesPage(): JSX.Element {
  const params = useParams<{ id?: string }>();
  const navigate = useNavigate();
  const [editing, setEditing] = createSignal<Licence | 'new' | null>(null);
  const open = (l: Licence) => navigate(`/licences/${l.id}${location.search}`);
  const close = () => navigate(`/licences${location.search}`);
  const page = createListPage({
    query: (search: Params) => ({ q: search.q, clientId: search.client }),
    fetchPage: listLicences,
    open,
  });
  const { search, patch, list, cursor } = page;
  const [version, setVersion] = createSignal(0);
  const [detail] = createResource(() => (params.id ? { id: params.id, v: version() } : false), ({ id }) => loadLicence(id));

  const saved = (l: Licence) => {
    setEditing(null);
    showToast(`Licence saved: ${l.compliance.installed} of ${l.seats} seats in use`);
    void list.reload();
    setVersion((x) => x + 1);
    if (params.id !== l.id) open(l);
  };
  const remove = (l: Licence) =>
    deleteConfirmed(`Delete the licence “${l.product}”? Its stored key goes with it.`, () => deleteLicence(l.id), 'Licence deleted', () => {
      close();
      void list.reload();
    });

  return (
    <div class="page">
      <div class="page-head">
        <h1>Licences</h1>
        <span class="spacer" />
        <a class="btn" href={licencesCsvHref({ q: search.q, clientId: search.client })} download="" data-testid="licences-csv">
          CSV
        </a>
        <button type="button" class="btn" onClick={() => void list.reload()} disabled={list.loading()}>
          Refresh
        </button>
        <Show when={can('technician')}>
          <button type="button" class="btn btn-primary" data-testid="new-licence" onClick={() => setEditing('new')}>
            New licence
          </button>
        </Show>
      </div>
      <Show when={editing()} keyed>
        {(e) => <LicenceForm initial={e === 'new' ? null : e} onSaved={saved} onCancel={() => setEditing(null)} />}
      </Show>
      <div class="toolbar">
        <ListSearch ref={page.searchRef} value={page.draftQ()} onInput={page.setDraftQ} placeholder="Search product or vendor" label="Search licences" testId="licence-search" />
        <ClientFilter value={search.client} onChange={(client) => patch({ client })} testId="licence-filter-client" anyLabel="Any client" />
      </div>
      <div class="history-layout" classList={{ 'has-detail': !!params.id }}>
        <section class="panel">
          <PagedListBody list={list} noun="licences" moreTestId="licences-more" empty={<span data-testid="licences-empty">No licences yet.</span>}>
            <table class="table table-click" data-testid="licences-table">
              <thead>
                <tr>
                  <th class="col-wide">Product</th>
                  <th>Client</th>
                  <th class="num">Installed / seats</th>
                  <th>Compliance</th>
                  <th>Expires</th>
                  <th>Key</th>
                </tr>
              </thead>
              <tbody ref={page.bodyRef}>
                <For each={list.items()}>
                  {(l, i) => (
                    <tr data-index={i()} data-testid="licence-row" data-licence-id={l.id} classList={{ 'is-selected': params.id ? params.id === l.id : cursor() === i() }} onClick={() => open(l)}>
                      <td>
                        <A href={`/licences/${l.id}`} class="row-link">
                          {l.product}
                        </A>
                        <div class="muted small ellipsis">{l.vendor ?? ''}</div>
                      </td>
                      <td>{l.clientName ?? <span class="muted">every client</span>}</td>
                      <td class="num">
                        <SeatUse compliance={l.compliance} />
                      </td>
                      <td>
                        <ComplianceBadge compliance={l.compliance} />
                      </td>
                      <td>
                        <EndDate end={l.expires} daysLeft={l.daysLeft} none="perpetual" />
                      </td>
                      <td class="mono nowrap">{l.keyHint ? `…${l.keyHint}` : ''}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </PagedListBody>
        </section>
        <Show when={params.id}>
          <Show when={!detail.error} fallback={<Empty>Could not load the licence: {describeFailure(detail.error)}</Empty>}>
            <Show when={settled(detail)} fallback={<Loading />}>
              {(l) => <LicenceDetail licence={l()} onEdit={() => setEditing(l())} onDelete={() => void remove(l())} onClose={close} />}
            </Show>
          </Show>
        </Show>
      </div>
      <ListKeysHint />
    </div>
  );
}
