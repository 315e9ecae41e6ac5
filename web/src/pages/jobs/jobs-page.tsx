import { A, useNavigate } from '@solidjs/router';
import { For, Show, type JSX } from 'solid-js';
import { JobKind, JobStatus } from '../../../../protocol/api/jobs';
import { createListPage } from '../../lib/list-page';
import { formatDateTime } from '../../lib/format';
import { can } from '../../state/session';
import { listJobs, onJobFrame, onJobsResync, type Job } from '../../state/jobs';
import { PagedListBody } from '../../components/paged-list-body';
import { ListKeysHint, ListSearch } from '../../components/list-search';
import { JobProgress, JobStatusBadge } from './job-progress';
import { AutomationSettingsPanel } from './automation-settings';
import '../../styles/automation.css';

const KIND_LABEL: Record<Job['kind'], string> = { command: 'Commands & scripts', deployment: 'Deployments', patch: 'Patch installs' };

/** A deployment opens on its own page (rings, steps); every other job on the job page. */
const jobHref = (j: Pick<Job, 'id' | 'kind'>) => (j.kind === 'deployment' ? `/deployments/${j.id}` : `/jobs/${j.id}`);

/** Bulk jobs, newest first; counts and status follow the tenant feed. */
export default function JobsPage(): JSX.Element {
  const navigate = useNavigate();
  const open = (j: Job) => navigate(jobHref(j));
  const page = createListPage({
    query: (search: { q?: string; status?: string; kind?: string }) => ({ q: search.q, status: search.status, kind: search.kind }),
    fetchPage: listJobs,
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
        <h1>Jobs</h1>
        <span class="spacer" />
        <button type="button" class="btn" onClick={() => void list.reload()} disabled={list.loading()}>
          Refresh
        </button>
        <Show when={can('technician')}>
          <A href="/jobs/new" class="btn btn-primary" data-testid="new-job">
            New job
          </A>
        </Show>
      </div>
      <div class="toolbar">
        <ListSearch ref={page.searchRef} value={page.draftQ()} onInput={page.setDraftQ} placeholder="Search job or action" label="Search jobs" />
        <select class="input select" aria-label="Status" data-testid="job-filter-status" onChange={(e) => page.patch({ status: e.currentTarget.value })}>
          <option value="">Any status</option>
          <For each={JobStatus.options}>{(s) => <option value={s} selected={s === search.status}>{s.replace('_', ' ')}</option>}</For>
        </select>
        <select class="input select" aria-label="Kind" data-testid="job-filter-kind" onChange={(e) => page.patch({ kind: e.currentTarget.value })}>
          <option value="">Any kind</option>
          <For each={JobKind.options}>{(k) => <option value={k} selected={k === search.kind}>{KIND_LABEL[k]}</option>}</For>
        </select>
      </div>
      <section class="panel">
        <PagedListBody list={list} noun="jobs" moreTestId="jobs-more" empty={<span data-testid="jobs-empty">No jobs yet.</span>}>
          <table class="table table-click" data-testid="jobs-table">
            <thead>
              <tr>
                <th class="col-wide">Job</th>
                <th>Status</th>
                <th>Progress</th>
                <th>Requested by</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody ref={page.bodyRef}>
              <For each={list.items()}>
                {(j, i) => (
                  <tr data-index={i()} data-testid="job-row" classList={{ 'is-selected': cursor() === i() }} onClick={() => open(j)}>
                    <td>
                      <A href={jobHref(j)} class="row-link">
                        {j.name || j.actionLabel}
                      </A>
                      <div class="muted small ellipsis">{j.actionLabel}</div>
                    </td>
                    <td>
                      <JobStatusBadge status={j.status} />
                    </td>
                    <td class="col-progress">
                      <JobProgress counts={j.counts} compact />
                    </td>
                    <td>{j.requestedByName ?? j.requestedBy}</td>
                    <td class="nowrap">{formatDateTime(j.createdAt)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </PagedListBody>
      </section>
      <ListKeysHint />
      <Show when={can('admin')}>
        <AutomationSettingsPanel />
      </Show>
    </div>
  );
}
