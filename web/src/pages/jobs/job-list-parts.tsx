import { A } from '@solidjs/router';
import { For, type JSX } from 'solid-js';
import { JobStatus } from '../../../../protocol/api/jobs';
import type { PagedList } from '../../lib/paged-list';
import { onJobFrame, onJobsResync, type Job } from '../../state/jobs';
import { JobProgress, JobStatusBadge } from './job-progress';

/**
 * Keeps a loaded page of jobs current: a frame patches status and counts of a row it shows (a job
 * not on the page stays off it, as the filter may exclude it), and a feed gap reloads the page.
 */
export function followJobList(list: PagedList<Job>): void {
  onJobFrame((f) => {
    if (!list.items().some((j) => j.id === f.id)) return;
    list.setItems((items) => items.map((j) => (j.id === f.id ? { ...j, status: f.status, counts: f.counts } : j)));
  });
  onJobsResync(() => void list.reload());
}

/** The "Any status" select of job lists. */
export function JobStatusFilter(props: { value?: string; onChange: (status: string) => void; testId: string }): JSX.Element {
  return (
    <select class="input select" aria-label="Status" data-testid={props.testId} onChange={(e) => props.onChange(e.currentTarget.value)}>
      <option value="">Any status</option>
      <For each={JobStatus.options}>
        {(s) => (
          <option value={s} selected={s === props.value}>
            {s.replace('_', ' ')}
          </option>
        )}
      </For>
    </select>
  );
}

/** A job row's name cell: the link (name, or the action when unnamed) over the action. */
export function JobNameCell(props: { job: Job; href: string }): JSX.Element {
  return (
    <td>
      <A href={props.href} class="row-link">
        {props.job.name || props.job.actionLabel}
      </A>
      <div class="muted small ellipsis">{props.job.actionLabel}</div>
    </td>
  );
}

/** A job row's status and progress cells. */
export function JobStateCells(props: { job: Job }): JSX.Element {
  return (
    <>
      <td>
        <JobStatusBadge status={props.job.status} />
      </td>
      <td class="col-progress">
        <JobProgress counts={props.job.counts} compact />
      </td>
    </>
  );
}
