import { A } from '@solidjs/router';
import { Show, type JSX } from 'solid-js';
import { formatDateTime } from '../../lib/format';
import type { Job } from '../../state/jobs';
import { JobStatusBadge } from './job-progress';
import { GateState } from './job-schedule';

/** A job page's title bar: back to its list, the name, status and gate, and the CSV export. */
export function JobTitleBar(props: { job: Job; back: { href: string; label: string }; titleTestId: string; exportTestId: string }): JSX.Element {
  return (
    <div class="page-head">
      <A href={props.back.href} class="btn btn-ghost" aria-label={props.back.label}>
        ←
      </A>
      <h1 data-testid={props.titleTestId}>{props.job.name || props.job.actionLabel}</h1>
      <JobStatusBadge status={props.job.status} />
      <GateState job={props.job} />
      <span class="spacer" />
      <a class="btn" href={`/api/v1/jobs/${props.job.id}/export.csv`} download="" data-testid={props.exportTestId}>
        Export CSV
      </a>
    </div>
  );
}

/** One line of who asked for a job and how it runs; `children` describe the action first. */
export function JobFacts(props: { job: Job; children: JSX.Element }): JSX.Element {
  const j = () => props.job;
  return (
    <div class="row gap wrap small">
      <span>{props.children}</span>
      <span>
        Requested by <strong>{j().requestedByName ?? j().requestedBy}</strong> {formatDateTime(j().createdAt)}
      </span>
      <Show when={j().approvedBy}>
        <span data-testid="job-approved-by">
          {j().status === 'rejected' ? 'Rejected' : 'Approved'} by <strong>{j().approvedByName ?? j().approvedBy}</strong> {formatDateTime(j().approvedAt)}
        </span>
      </Show>
      <span>{j().concurrency} at a time</span>
      <span>offline devices until {formatDateTime(j().expiresAt)}</span>
      <Show when={j().finishedAt}>
        <span>finished {formatDateTime(j().finishedAt)}</span>
      </Show>
    </div>
  );
}
