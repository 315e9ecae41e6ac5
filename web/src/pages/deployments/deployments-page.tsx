import { A, useNavigate } from '@solidjs/router';
import { For, Show, type JSX } from 'solid-js';
import { createListPage } from '../../lib/list-page';
import { formatDateTime } from '../../lib/format';
import { can } from '../../state/session';
import { deployActionOf, listDeployments, type Job } from '../../state/deployments';
import { PagedListBody } from '../../components/paged-list-body';
import { ListKeysHint, ListSearch } from '../../components/list-search';
import { PageHead } from '../../components/page-head';
import { followJobList, JobNameCell, JobStateCells, JobStatusFilter } from '../jobs/job-list-parts';
import '../../styles/automation.css';
import '../../styles/deploy.css';

/** Deployment jobs, newest first; status and counts follow the tenant feed. */
export default function DeploymentsPage(): JSX.Element {
  const navigate = useNavigate();
  const open = (j: Job) => navigate(`/deployments/${j.id}`);
  const page = createListPage({
    query: (search: { q?: string; status?: string }) => ({ q: search.q, status: search.status }),
    fetchPage: listDeployments,
    open,
  });
  const { search, list, cursor } = page;

  followJobList(list);

  return (
    <div class="page">
      <PageHead title="Deployments" onRefresh={list.reload} busy={list.loading()}>
        <Show when={can('technician')}>
          <A href="/deployments/new" class="btn btn-primary" data-testid="new-deployment">
            New deployment
          </A>
        </Show>
      </PageHead>
      <div class="toolbar">
        <ListSearch ref={page.searchRef} value={page.draftQ()} onInput={page.setDraftQ} placeholder="Search deployment or package" label="Search deployments" testId="deployment-search" />
        <JobStatusFilter value={search.status} onChange={(status) => page.patch({ status })} testId="deployment-filter-status" />
      </div>
      <section class="panel">
        <PagedListBody list={list} noun="deployments" moreTestId="deployments-more" empty={<span data-testid="deployments-empty">No deployments yet.</span>}>
          <table class="table table-click" data-testid="deployments-table">
            <thead>
              <tr>
                <th class="col-wide">Deployment</th>
                <th>Action</th>
                <th>Status</th>
                <th>Progress</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody ref={page.bodyRef}>
              <For each={list.items()}>
                {(j, i) => (
                  <tr data-index={i()} data-testid="deployment-row" data-job-id={j.id} classList={{ 'is-selected': cursor() === i() }} onClick={() => open(j)}>
                    <JobNameCell job={j} href={`/deployments/${j.id}`} />
                    <td>
                      <span class="chip">{deployActionOf(j) ?? '—'}</span>
                    </td>
                    <JobStateCells job={j} />
                    <td class="nowrap">{formatDateTime(j.createdAt)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </PagedListBody>
      </section>
      <ListKeysHint />
    </div>
  );
}
