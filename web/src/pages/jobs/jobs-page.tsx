import { A, useNavigate } from '@solidjs/router';
import { For, Show, type JSX } from 'solid-js';
import { JobKind } from '../../../../protocol/api/jobs';
import { createListPage } from '../../lib/list-page';
import { formatDateTime } from '../../lib/format';
import { can } from '../../state/session';
import { listJobs, type Job } from '../../state/jobs';
import { PagedListBody } from '../../components/paged-list-body';
import { ListKeysHint, ListSearch } from '../../components/list-search';
import { PageHead } from '../../components/page-head';
import { followJobList, JobNameCell, JobStateCells, JobStatusFilter } from './job-list-parts';
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

  followJobList(list);

  return (
    <div class="page">
      <PageHead title="Jobs" onRefresh={list.reload} busy={list.loading()}>
        <Show when={can('technician')}>
          <A href="/jobs/new" class="btn btn-primary" data-testid="new-job">
            New job
          </A>
        </Show>
      </PageHead>
      <div class="toolbar">
        <ListSearch ref={page.searchRef} value={page.draftQ()} onInput={page.setDraftQ} placeholder="Search job or action" label="Search jobs" />
        <JobStatusFilter value={search.status} onChange={(status) => page.patch({ status })} testId="job-filter-status" />
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
                    <JobNameCell job={j} href={jobHref(j)} />
                    <JobStateCells job={j} />
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
