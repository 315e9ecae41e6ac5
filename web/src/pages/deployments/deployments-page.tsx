import { A, useNavigate } from '@solidjs/router';
import { For, Show, type JSX } from 'solid-js';
import { JobStatus } from '../../../../protocol/api/jobs';
import { createListPage } from '../../lib/list-page';
import { formatDateTime } from '../../lib/format';
import { can } from '../../state/session';
import { onJobFrame, onJobsResync } from '../../state/jobs';
import { deployActionOf, listDeployments, type Job } from '../../state/deployments';
import { PagedListBody } from '../../components/paged-list-body';
import { ListKeysHint, ListSearch } from '../../components/list-search';
import { JobProgress, JobStatusBadge } from '../jobs/job-progress';
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

  onJobFrame((f) => {
    if (!list.items().some((j) => j.id === f.id)) return;
    list.setItems((items) => items.map((j) => (j.id === f.id ? { ...j, status: f.status, counts: f.counts } : j)));
  });
  onJobsResync(() => void list.reload());

  return (
    <div class="page">
      <div class="page-head">
        <h1>Deployments</h1>
        <span class="spacer" />
        <button type="button" class="btn" onClick={() => void list.reload()} disabled={list.loading()}>
          Refresh
        </button>
        <Show when={can('technician')}>
          <A href="/deployments/new" class="btn btn-primary" data-testid="new-deployment">
            New deployment
          </A>
        </Show>
      </div>
      <div class="toolbar">
        <ListSearch ref={page.searchRef} value={page.draftQ()} onInput={page.setDraftQ} placeholder="Search deployment or package" label="Search deployments" testId="deployment-search" />
        <select class="input select" aria-label="Status" data-testid="deployment-filter-status" onChange={(e) => page.patch({ status: e.currentTarget.value })}>
          <option value="">Any status</option>
          <For each={JobStatus.options}>{(s) => <option value={s} selected={s === search.status}>{s.replace('_', ' ')}</option>}</For>
        </select>
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
                    <td>
                      <A href={`/deployments/${j.id}`} class="row-link">
                        {j.name || j.actionLabel}
                      </A>
                      <div class="muted small ellipsis">{j.actionLabel}</div>
                    </td>
                    <td>
                      <span class="chip">{deployActionOf(j) ?? '—'}</span>
                    </td>
                    <td>
                      <JobStatusBadge status={j.status} />
                    </td>
                    <td class="col-progress">
                      <JobProgress counts={j.counts} compact />
                    </td>
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
