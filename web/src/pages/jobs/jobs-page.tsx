import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { createEffect, For, on, Show, type JSX } from 'solid-js';
import { JobStatus } from '../../../../protocol/api/jobs';
import { createPagedList } from '../../lib/paged-list';
import { createSearchDraft } from '../../lib/search-draft';
import { createListKeys } from '../../lib/list-keys';
import { followCursor } from '../../lib/follow-cursor';
import { formatDateTime } from '../../lib/format';
import { can } from '../../state/session';
import { listJobs, onJobFrame, onJobsResync, type Job } from '../../state/jobs';
import { PagedListBody } from '../../components/paged-list-body';
import { JobProgress, JobStatusBadge } from './job-progress';
import { AutomationSettingsPanel } from './automation-settings';
import '../../styles/automation.css';

/** Bulk jobs, newest first; counts and status follow the tenant feed. */
export default function JobsPage(): JSX.Element {
  const [search, setSearch] = useSearchParams<{ q?: string; status?: string }>();
  const navigate = useNavigate();
  const [draftQ, setDraftQ] = createSearchDraft(search.q ?? '', (q) => setSearch({ q: q || null }, { replace: true }));
  const list = createPagedList<Job>((cursor) => listJobs({ q: search.q, status: search.status }, cursor));
  createEffect(on(() => [search.q, search.status], () => void list.reload()));

  onJobFrame((f) => {
    if (!list.items().some((j) => j.id === f.id)) return;
    list.setItems((items) => items.map((j) => (j.id === f.id ? { ...j, status: f.status, counts: f.counts } : j)));
  });

  onJobsResync(() => void list.reload());

  const open = (j: Job) => navigate(`/jobs/${j.id}`);
  let searchBox!: HTMLInputElement;
  let body!: HTMLTableSectionElement;
  const cursor = createListKeys({ items: list.items, open, search: () => searchBox });
  followCursor(cursor, () => body);

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
        <input
          ref={searchBox}
          class="input search"
          type="search"
          placeholder="Search job or action   ( / )"
          aria-label="Search jobs"
          value={draftQ()}
          onInput={(e) => setDraftQ(e.currentTarget.value)}
        />
        <select class="input select" aria-label="Status" data-testid="job-filter-status" onChange={(e) => setSearch({ status: e.currentTarget.value || null }, { replace: true })}>
          <option value="">Any status</option>
          <For each={JobStatus.options}>{(s) => <option value={s} selected={s === search.status}>{s.replace('_', ' ')}</option>}</For>
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
            <tbody ref={body}>
              <For each={list.items()}>
                {(j, i) => (
                  <tr data-index={i()} data-testid="job-row" classList={{ 'is-selected': cursor() === i() }} onClick={() => open(j)}>
                    <td>
                      <A href={`/jobs/${j.id}`} class="row-link">
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
      <div class="hint muted">
        <kbd>/</kbd> search · <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open
      </div>
      <Show when={can('admin')}>
        <AutomationSettingsPanel />
      </Show>
    </div>
  );
}
